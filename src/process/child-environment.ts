/** What awsl never hands to the programs it starts (exec, the aws CLI, a browser). */
export function withoutSecrets(env: NodeJS.ProcessEnv, secretVariables: readonly string[]): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of secretVariables) Reflect.deleteProperty(copy, name);
  return copy;
}
