// `${VAR}` and `${VAR:-default}` in server settings, as Claude Code expands them: secrets stay in the environment, not
// in the config file. Unset variables without a default are reported by name, never replaced by an empty string.

const VARIABLE_PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface ExpandedText {
  text: string;
  /** Variables the text uses that are unset and have no default. */
  missing: string[];
  /** Variables whose values were taken from the environment (defaults are not listed). */
  substituted: Array<{ name: string; value: string }>;
}

/**
 * Replaces every `${VAR}` with its value and every `${VAR:-default}` with the value, or the default when the variable
 * is unset or empty (the shell's `:-`). The default is taken literally.
 */
export function expandVariables(text: string, env: NodeJS.ProcessEnv): ExpandedText {
  const missing: string[] = [];
  const substituted: Array<{ name: string; value: string }> = [];
  const expanded = text.replace(VARIABLE_PATTERN, (whole, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (fallback !== undefined && (value === undefined || value === '')) return fallback;
    if (value === undefined) {
      missing.push(name);
      return whole;
    }
    substituted.push({ name, value });
    return value;
  });
  return { text: expanded, missing, substituted };
}
