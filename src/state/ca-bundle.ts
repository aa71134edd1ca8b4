/** A PEM CA bundle (AWS_CA_BUNDLE, awsl_ca_bundle): read when a login uses it, checked when configure saves it. */
import { readFileSync } from 'node:fs';
import { FileUnreadableError } from '../errors.js';

/** The bundle's text: a readable file holding at least one PEM certificate, or exit 5 naming it. */
export function readCaBundle(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FileUnreadableError(path, undefined, `cannot be read as the CA bundle (${(error as Error).message})`,
      'Point AWS_CA_BUNDLE (or the profile setting awsl_ca_bundle) at a readable PEM file.');
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new FileUnreadableError(path, undefined, 'is not a PEM CA bundle: it holds no "-----BEGIN CERTIFICATE-----"',
      'Point AWS_CA_BUNDLE (or the profile setting awsl_ca_bundle) at the PEM file of your organisation\'s CA.');
  }
  return text;
}
