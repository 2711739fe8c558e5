/**
 * Looks for an API key's secret part in captured text: as is, base64-encoded and URL-encoded.
 * Returns the names of the captures that contain it.
 */
export function leakFinder(key: string): (captures: Record<string, string>) => string[] {
  const secret = key.slice(key.indexOf('.') + 1);
  const forms = [
    secret,
    Buffer.from(key).toString('base64'),
    Buffer.from(secret).toString('base64'),
    encodeURIComponent(key),
  ];
  return (captures) =>
    Object.entries(captures)
      .filter(([, text]) => forms.some((form) => text.includes(form)))
      .map(([name]) => name);
}
