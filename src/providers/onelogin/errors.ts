/** OneLogin's own error: its API refused a request in a way no other category covers. */
import { IdpApiError } from '../../errors.js';

export class OneLoginApiError extends IdpApiError {}
