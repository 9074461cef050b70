// ESLint (flat config): TypeScript's recommended rules everywhere, React's hook rules in the
// renderer, and two rules about the shape of the code: no import cycles anywhere, and no Node
// built-ins in the renderer (it runs in a browser page or a sandboxed Electron window).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { importX } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "test-results/", "playwright-report/", "examples/data/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Tells import-x to parse the modules it follows as TypeScript; without it they fail to parse
  // and the cycle rule silently finds nothing.
  importX.flatConfigs.typescript,
  {
    settings: {
      // Without a resolver that maps "./x.js" to "./x.ts", the cycle rule silently finds nothing.
      "import-x/resolver-next": [
        createTypeScriptImportResolver({
          project: ["tsconfig.json", "renderer/tsconfig.json", "renderer/tsconfig.test.json"],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-unresolved": "error",
      // A leading underscore says "unused on purpose" (for (const _ of pipeline), a parameter kept for its position).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Tests stand in for Electron, workers and the like with loosely typed doubles.
    files: ["**/*.test.ts", "**/testing/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // A sandboxed preload script may only require(): it cannot load ES modules.
    files: ["electron/preload.cts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["renderer/**/*.{ts,tsx}"],
    ignores: ["renderer/**/*.test.ts", "renderer/**/testing/**"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "import-x/no-nodejs-modules": "error",
      // renderer/tsconfig.json asks for no Node types, but the host protocol's types reach engine modules that
      // bring them along: the type-check alone would let these through.
      "no-restricted-globals": [
        "error",
        ...["process", "Buffer", "global", "require", "__dirname", "__filename", "setImmediate"].map((name) => ({
          name,
          message: "a Node global: the renderer runs in a browser page",
        })),
      ],
    },
  },
);
