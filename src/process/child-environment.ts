/** What awsl never hands to the programs it starts (exec, the aws CLI, a browser). */
export const AWSL_SECRET_VARIABLES = ['AWSL_ONELOGIN_CLIENT_SECRET'] as const;

export function withoutAwslSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of AWSL_SECRET_VARIABLES) Reflect.deleteProperty(copy, name);
  return copy;
}
