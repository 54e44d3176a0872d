/**
 * The badge tap's peer under benchmark, in its own process: oidc-provider (the best-known
 * Node authorization server, a devDependency used only here) doing the tap's cryptographic
 * work. One client authenticates with `private_key_jwt`: an EdDSA (Ed25519) client
 * assertion, verified and its `jti` checked against replay (oidc-provider's ReplayDetection,
 * in its default memory adapter); the client_credentials grant, the closest analogue of a
 * tap, issues a JWT access token signed with the server's Ed25519 key for one resource
 * server. So each request is one Ed25519 verify and one sign, like a tap, without the tap's
 * SQLite reads.
 *
 * Its default memory adapter is an LRU of 1,000 entries: a jti is remembered only until
 * 1,000 newer ones arrive, a weaker (and cheaper) replay guarantee than the tap's, which
 * keeps every jti until its assertion expires.
 *
 * Prints one JSON line when listening: its token endpoint, the client id and the client's
 * private JWK (the driver signs the assertions). SIGTERM closes it.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

const RESOURCE = 'urn:rental:bench-api';
const CLIENT_ID = 'bench-kiosk';

async function main() {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const signing = generateKeyPairSync('ed25519');
  const client = generateKeyPairSync('ed25519');
  const serverJwk = {
    ...signing.privateKey.export({ format: 'jwk' }),
    kid: 'peer-1',
    alg: 'EdDSA',
    use: 'sig',
  };
  const clientPublic = { ...client.publicKey.export({ format: 'jwk' }), kid: 'client-1', alg: 'EdDSA' };
  const clientPrivate = { ...client.privateKey.export({ format: 'jwk' }), kid: 'client-1', alg: 'EdDSA' };

  const provider = new Provider(issuer, {
    jwks: { keys: [serverJwk] },
    clients: [
      {
        client_id: CLIENT_ID,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'EdDSA',
        id_token_signed_response_alg: 'EdDSA',
        jwks: { keys: [clientPublic] },
      },
    ],
    clientAuthMethods: ['private_key_jwt'],
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    enabledJWA: { clientAuthSigningAlgValues: ['EdDSA'] },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'tap',
          audience: RESOURCE,
          accessTokenTTL: 120,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'EdDSA' } },
        }),
      },
    },
  });
  server.on('request', provider.callback());
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.stdout.write(
    `${JSON.stringify({ issuer, tokenUrl: `${issuer}/token`, clientId: CLIENT_ID, clientJwk: clientPrivate, pid: process.pid })}\n`,
  );
}

main().catch((err: unknown) => {
  console.error('peer-server:', err);
  process.exit(1);
});
