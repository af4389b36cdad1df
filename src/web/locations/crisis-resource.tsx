import { formatPhone, telHref } from '../clients/format.ts';
import type { CrisisResource } from './location.ts';

/** One number to call, large and one tap away; shared with the session and incident screens. */
export function Resource({ resource }: { resource: CrisisResource }) {
  const number = resource.phone ? formatPhone(resource.phone) : null;
  return (
    <li className={`crisis-resource crisis-${resource.kind.replace('_', '-')}`}>
      <span className="crisis-label">{resource.label}</span>
      {resource.phone && number && (
        <a href={telHref(resource.phone)} className="crisis-phone" aria-label={`Call ${resource.label}, ${number}`}>
          {number}
        </a>
      )}
      {resource.address && <span className="crisis-address address">{resource.address}</span>}
    </li>
  );
}
