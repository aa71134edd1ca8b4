import { expect } from 'chai';

/** What the AWS SDK throws when STS refuses a request. */
export interface StsRefusal extends Error {
  $metadata: { httpStatusCode?: number; attempts?: number };
  Code?: string;
  Type?: string;
}

/** The error STS answered `request` with; fails the test when STS accepted it. */
export async function refusalOf(request: Promise<unknown>): Promise<StsRefusal> {
  try {
    await request;
  } catch (error) {
    return error as StsRefusal;
  }
  return expect.fail('expected STS to refuse');
}
