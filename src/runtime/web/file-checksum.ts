/**
 * Hashes for model files, in wasm (hash-wasm) so they run chunk by chunk as bytes arrive or
 * are read: sha256 checks a download against its manifest entry; xxHash64 is the cheap
 * check of a stored OPFS copy on every read (about 10x faster than sha256 here; see
 * docs/model-store.md for why a 64-bit checksum is enough once sha256 matched at write time).
 */
import { createSHA256, createXXHash64, type IHasher } from 'hash-wasm';

export interface IncrementalHash {
  update(bytes: Uint8Array): void;
  /** Hex digest of everything given since the last reset. */
  digest(): string;
  /** Starts over, as if nothing had been given. */
  reset(): void;
}

export function sha256Incremental(): Promise<IncrementalHash> {
  return wrap(createSHA256());
}

export function xxh64Incremental(): Promise<IncrementalHash> {
  return wrap(createXXHash64());
}

/** The xxHash64 (hex) of `bytes`, hashed in slices so wasm memory stays small. */
export async function xxh64Hex(bytes: Uint8Array): Promise<string> {
  const hash = await xxh64Incremental();
  for (let offset = 0; offset < bytes.byteLength; offset += SLICE) hash.update(bytes.subarray(offset, offset + SLICE));
  return hash.digest();
}

const SLICE = 8 * 1024 * 1024;

async function wrap(creating: Promise<IHasher>): Promise<IncrementalHash> {
  const hasher = await creating;
  hasher.init();
  return {
    update: (bytes) => void hasher.update(bytes),
    digest: () => {
      const hex = hasher.digest('hex');
      hasher.init();
      return hex;
    },
    reset: () => void hasher.init(),
  };
}
