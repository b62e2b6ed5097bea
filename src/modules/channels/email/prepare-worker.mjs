// Entry of the email preparation worker thread (prepare-pool.ts). The server's TypeScript runs
// through tsx (docs/decisions/0002); a worker thread does not share the main thread's loader,
// so it registers tsx itself before loading the TypeScript side.
import { register } from 'tsx/esm/api';

register();
await import('./prepare-worker.ts');
