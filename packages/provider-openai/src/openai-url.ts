/**
 * `baseURL` + an API path, joined on the URL's path: a query string
 * (`?api-version=…`, a proxy's `?tenant=…`) stays a query string instead of
 * swallowing the path, as `${baseURL}/chat/completions` would make it.
 * Slashes between the two are collapsed to one; a fragment is dropped (it
 * is never sent).
 */
export function joinURL(baseURL: string, path: string): string {
  const url = new URL(baseURL);
  let base = url.pathname;
  while (base.endsWith("/")) base = base.slice(0, -1);
  let rest = path;
  while (rest.startsWith("/")) rest = rest.slice(1);
  url.pathname = `${base}/${rest}`;
  url.hash = "";
  return url.href;
}
