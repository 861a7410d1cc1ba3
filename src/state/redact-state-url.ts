// A state URL as it may be printed: the password in the user part and in a `password=` parameter becomes ***.

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`. Text that is not a URL is returned as is. */
export function redactStateUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!scheme) return url;
  const start = scheme[0].length;
  // The authority ends at the first '/', '?' or '#'; a password with those characters must be percent-encoded anyway.
  const authorityEnd = url.slice(start).search(/[/?#]/);
  const end = authorityEnd === -1 ? url.length : start + authorityEnd;
  const authority = url.slice(start, end);
  const at = authority.lastIndexOf('@');
  let redacted = authority;
  if (at !== -1) {
    const userInfo = authority.slice(0, at);
    const colon = userInfo.indexOf(':');
    if (colon !== -1) redacted = `${userInfo.slice(0, colon)}:***${authority.slice(at)}`;
  }
  const rest = url.slice(end).replace(/([?&]password=)[^&#]*/gi, '$1***');
  return `${url.slice(0, start)}${redacted}${rest}`;
}
