/**
 * HTTP: what the sign-in page needs to know before anyone signs in.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, isDemoLoaded } from '../demo/demo.service.ts';

export async function metaRoutes(app: App) {
  app.get(
    '/meta',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['meta'],
        summary: 'Product name and, on a demo install, the demo logins',
        security: [],
        response: {
          200: Type.Object({
            name: Type.String(),
            demo: Type.Boolean(),
            demo_logins: Type.Array(Type.Object({ email: Type.String(), role: Type.String(), name: Type.String() })),
            demo_password: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const demo = await isDemoLoaded(request.ctx);
      return { name: 'storedesk', demo, demo_logins: demo ? DEMO_LOGINS : [], demo_password: demo ? DEMO_PASSWORD : null };
    },
  );
}
