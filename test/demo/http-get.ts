/**
 * A raw HTTP GET for the simulator's tests: no automatic decompression, no retries, so the tests see
 * exactly the bytes and headers on the wire.
 */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function httpGet(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The Authorization header for a key, in either scheme Baseten accepts. */
export function apiKeyHeader(key: string, scheme: 'Api-Key' | 'Bearer' = 'Api-Key'): Record<string, string> {
  return { Authorization: `${scheme} ${key}` };
}
