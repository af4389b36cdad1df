import { formatPhone, telHref } from './format.ts';

/** A contact's phone numbers, each one tap away (the client page and an incident's contact step). */
export function PhoneLinks({ name, phones }: { name: string; phones: string[] }) {
  return (
    <ul className="phones" aria-label={`Phone numbers for ${name}`}>
      {phones.map((p) => (
        <li key={p}>
          <a href={telHref(p)} className="phone-link">
            {formatPhone(p)}
          </a>
        </li>
      ))}
    </ul>
  );
}
