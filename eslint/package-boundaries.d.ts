import type { ESLint, Rule } from 'eslint';

export const packageBoundaries: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
