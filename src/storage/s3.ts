import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AppError } from '../errors.js';
import { type MediaStore, objectKey, signEach } from './store.js';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, R2, Supabase's S3 gateway); unset means AWS. */
  endpoint: string | null;
  forcePathStyle: boolean;
  /** Unset: the SDK's default chain (env, profile, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
}

/** SigV4 presigned URLs cannot outlive 7 days. */
export const S3_MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

function missing(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey';
}

function failed(operation: string, error: unknown): AppError {
  return new AppError('storage_failed', `S3 ${operation} failed: ${(error as Error).message}`, 502, { cause: error });
}

/** Any S3-compatible store through the AWS SDK; reads are presigned GET URLs. */
export function s3Store(options: S3StoreOptions): MediaStore {
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Checksums only where S3 requires them: many S3-compatible stores reject the newer defaults.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const store: MediaStore = {
    driver: 's3',
    bucket: options.bucket,
    async put(key, bytes, contentType) {
      await client
        .send(new PutObjectCommand({ Bucket: options.bucket, Key: objectKey(key), Body: bytes, ContentType: contentType }))
        .catch((error: unknown) => {
          throw failed('PutObject', error);
        });
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
        return true;
      } catch (error) {
        if (missing(error)) return false;
        throw failed('HeadObject', error);
      }
    },
    async signedUrl(key, ttlSeconds) {
      const command = new GetObjectCommand({ Bucket: options.bucket, Key: objectKey(key) });
      return getSignedUrl(client, command, { expiresIn: Math.min(ttlSeconds, S3_MAX_PRESIGN_SECONDS) });
    },
    signedUrls: (keys, ttlSeconds) => signEach(store, keys, ttlSeconds),
    async get(key) {
      try {
        const result = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
        return result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (missing(error)) return null;
        throw failed('GetObject', error);
      }
    },
  };
  return store;
}
