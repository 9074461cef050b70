/**
 * Worker threads load built JavaScript, never TypeScript. Code compiled into dist/ finds its
 * sibling .js files directly; the same code run from source (as under Vitest) maps
 * <root>/engine/x.ts to <root>/dist/engine/x.js, which `npm run build` produced.
 */
export function builtModuleUrl(relativeJsPath: string, fromModuleUrl: string): string {
  const url = new URL(relativeJsPath, fromModuleUrl);
  if (!fromModuleUrl.endsWith(".ts")) return url.href;
  const path = url.pathname;
  const marker = path.lastIndexOf("/engine/");
  if (marker < 0) return url.href;
  url.pathname = `${path.slice(0, marker)}/dist${path.slice(marker)}`;
  return url.href;
}
