import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/**
 * The UI's import rule (ARCHITECTURE: ui/): `ipc/` and `shared/` import nothing of the app's
 * pages; a feature imports `shared/`, `ipc/`, its own folder and other features' `index.ts` only.
 * Paths are relative, so the patterns read them from where each folder stands.
 */
const outsideIn = (message) => ({ regex: "^(\\.\\./)+(app|features|test)(/|$)", message });
const featureRules = (tests) => [
  {
    // `../board/Board`, not `../board` (its index.ts): a sibling's insides are its own.
    regex: "^\\.\\./[^./][^/]*/(?!index$).+",
    message: "Import another feature through its index.ts (`../board`), not its files.",
  },
  {
    regex: tests ? "^\\.\\./\\.\\./(?!shared/|ipc(/|$)|test/|app/)" : "^\\.\\./\\.\\./(?!shared/|ipc(/|$))",
    message: tests
      ? "A feature's test imports shared/, ipc/, test/, app/, its own folder and other features' index.ts only."
      : "A feature imports shared/, ipc/, its own folder and other features' index.ts only.",
  },
  { regex: "^(\\.\\./){3,}", message: "Nothing outside src/." },
];

export default tseslint.config(
  { ignores: ["dist", "src/ipc/types.gen.ts"] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.strict],
    files: ["**/*.{ts,tsx}"],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ["src/ipc/**/*.{ts,tsx}"],
    ignores: ["**/*.test.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [outsideIn("ipc/ is the bottom: it imports no page, feature or test code."), { regex: "^(\\.\\./)+shared(/|$)", message: "ipc/ does not import shared/." }] }],
    },
  },
  {
    files: ["src/shared/**/*.{ts,tsx}"],
    ignores: ["**/*.test.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [outsideIn("shared/ imports only shared/ and ipc/.")] }] },
  },
  {
    files: ["src/features/*/*.{ts,tsx}"],
    ignores: ["**/*.test.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: featureRules(false) }] },
  },
  {
    // Tests also reach the fakes in test/ and, for stories across the window, the app shell.
    files: ["src/features/*/*.test.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: featureRules(true) }] },
  },
);
