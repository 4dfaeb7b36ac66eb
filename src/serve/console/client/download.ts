import { apiFetch } from './session.js';

/**
 * Downloads an API answer as a file: the report routes need the Authorization header, which a plain link
 * cannot send, so the answer is fetched and handed to the browser as a blob.
 */
export async function downloadFrom(path: string, filename: string): Promise<void> {
  const blob = await (await apiFetch(path)).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}
