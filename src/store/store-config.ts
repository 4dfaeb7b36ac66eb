import { UsageError } from '../model/errors.js';

/** Where runs are stored besides the local journals: a PostgreSQL URL, its password never printed. */
export interface StoreConfig {
  url: string;
  /** The URL as every message shows it: the password replaced by ***. */
  shown: string;
  password: string | null;
}

/**
 * The store from `--store URL`, else $DRILLBOOK_STORE; empty or unset means no store (nothing changes).
 * A URL that is not postgres:// is a usage error, shown without its password.
 */
export function storeConfig(flag: string | undefined, env = process.env.DRILLBOOK_STORE): StoreConfig | undefined {
  const text = (flag ?? env ?? '').trim();
  if (text === '') return undefined;
  const source = flag !== undefined ? '--store' : 'DRILLBOOK_STORE';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${source} is not a URL: "${maskUrlText(text)}"; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE`,
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new UsageError(
      `${source} must be a postgres:// URL, got ${url.protocol}//… ; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE`,
    );
  if (url.pathname.replace(/^\//, '') === '')
    throw new UsageError(`${source} names no database: ${maskUrl(url)}; expected postgres://USER@HOST:PORT/DATABASE`);
  const password = url.password === '' ? null : decodeURIComponent(url.password);
  return { url: text, shown: maskUrl(url), password };
}

function maskUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href;
}

/** For text that does not even parse as a URL: anything between "//user:" and "@" is hidden. */
function maskUrlText(text: string): string {
  return text.replace(/(\/\/[^/:@]*:)[^@]*@/, '$1***@');
}

/** Replaces the store's password wherever it appears in a message (a driver error may quote the URL). */
export function hidePassword(config: StoreConfig, text: string): string {
  return config.password === null || config.password === '' ? text : text.split(config.password).join('***');
}
