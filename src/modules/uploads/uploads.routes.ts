/**
 * HTTP: an agent uploads a file (the request body is the file itself) and gets an id to attach
 * it to a reply or note (`attachment_ids` on POST /tickets/:id/messages).
 */
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { App } from '../../http/app.ts';
import { blobStoreFor } from '../../blobs/blob-store.ts';
import { createUpload } from './uploads.service.ts';

const UploadSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  filename: Type.String(),
  content_type: Type.String({ description: 'Read from the bytes, not only the declared type' }),
  size: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
});

export async function uploadsRoutes(app: App) {
  const config = app.storedesk.config;
  const blobs = blobStoreFor(config);
  // The body is the file's bytes, whatever their type.
  await app.register(async (plugin) => {
    const raw = plugin.withTypeProvider<TypeBoxTypeProvider>();
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    raw.post(
      '/uploads',
      {
        config: { auth: 'agent' },
        bodyLimit: config.emailMaxBytes + 1,
        schema: {
          tags: ['tickets'],
          summary: 'Upload a file to attach to a reply or note; the body is the file, its name in ?filename=',
          querystring: Type.Object({ filename: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false }),
          response: { 201: UploadSchema },
        },
      },
      async (request, reply) => {
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const upload = await createUpload(request.ctx, blobs, {
          filename: request.query.filename, declaredType: request.headers['content-type'] ?? 'application/octet-stream', bytes, maxBytes: config.emailMaxBytes,
        });
        return reply.code(201).send({ id: upload.id, filename: upload.filename, content_type: upload.contentType, size: upload.size, created_at: upload.createdAt.toISOString() });
      },
    );
  });
}
