import { describe, it } from 'vitest';
import { expectDeploy } from '../parse.js';

describe('media-server', () => {
  it('reads the catalog examples', () => {
    // 1 TB = 1024 GB: binary units throughout.
    expectDeploy('set up jellyfin with 2TB of storage', {
      pattern: 'media-server',
      params: { app: 'jellyfin', storageGb: 2048, remoteAccess: false },
    });
    expectDeploy('deploy a plex server I can reach from outside', {
      pattern: 'media-server',
      params: { app: 'plex', remoteAccess: true },
    });
    expectDeploy('media server for movies on vlan 60', {
      pattern: 'media-server',
      params: { app: 'jellyfin', vlanTag: 60 },
    });
  });

  it('reads other phrasings', () => {
    expectDeploy('emby with 750 gigs for the library, only at home', {
      pattern: 'media-server',
      params: { app: 'emby', storageGb: 750, remoteAccess: false },
    });
    expectDeploy('I want to stream my tv shows while travelling, plex please, remote access', {
      pattern: 'media-server',
      params: { app: 'plex', remoteAccess: true },
    });
    expectDeploy('jelyfin at movies.example.com', {
      pattern: 'media-server',
      params: { app: 'jellyfin', hostname: 'movies.example.com' },
    });
  });
});
