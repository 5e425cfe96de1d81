import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'coverage/', 'reports/', '.stryker-tmp*/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      'no-console': 'error',
    },
  },
  {files: ['bench/**', 'scripts/**', 'test/**'], rules: {'no-console': 'off'}},
  {files: ['**/*.js', '**/*.mjs'], languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}}},
)
