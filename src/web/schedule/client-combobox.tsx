import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { api, isAbort } from '../api.ts';
import type { ClientList } from '../clients/client.ts';
import type { Named } from './schedule.ts';

const RESULTS = 20;

interface Props {
  label: string;
  value: Named | null;
  onChange: (client: Named | null) => void;
  invalid?: true | undefined;
}

/**
 * Find a client by name as you type (the practice directory: names only), then choose
 * one. An ARIA 1.2 combobox: arrow keys move through the matches, Enter chooses,
 * Escape closes the list. To clear it after booking, give it a new key.
 */
export function ClientCombobox({ label, value, onChange, invalid }: Props) {
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const [text, setText] = useState(value?.name ?? '');
  const [matches, setMatches] = useState<Named[] | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  const query = text.trim();
  const searching = open && value === null && query.length > 0;
  useEffect(() => {
    if (!searching) return;
    const ctrl = new AbortController();
    const t = window.setTimeout(() => {
      const p = new URLSearchParams({ search: query, limit: String(RESULTS) });
      api
        .get<ClientList>(`/api/clients?${p.toString()}`, { signal: ctrl.signal })
        .then((r) => {
          setMatches(r.clients.map((c) => ({ id: c.id, name: c.name })));
          setActive(-1);
        })
        .catch((err: unknown) => {
          if (!isAbort(err)) setMatches([]);
        });
    }, 250);
    return () => {
      window.clearTimeout(t);
      ctrl.abort();
    };
  }, [searching, query]);

  const shown = searching && matches !== null;
  const options = shown ? matches : [];

  function choose(c: Named) {
    onChange(c);
    setText(c.name);
    setOpen(false);
    setMatches(null);
    setActive(-1);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' && !shown && value === null && query) {
      e.preventDefault();
      setOpen(true);
    } else if (e.key === 'ArrowDown' && options.length > 0) {
      e.preventDefault();
      setActive((i) => (i + 1) % options.length);
    } else if (e.key === 'ArrowUp' && options.length > 0) {
      e.preventDefault();
      setActive((i) => (i <= 0 ? options.length - 1 : i - 1));
    } else if (e.key === 'Enter' && shown && active >= 0 && options[active]) {
      e.preventDefault();
      choose(options[active]);
    } else if (e.key === 'Escape' && shown) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  }

  const optionId = (i: number) => `${id}-option-${i}`;
  const count = options.length;
  return (
    <div className="field combobox">
      <label htmlFor={id}>{label}</label>
      <p id={hintId} className="hint">
        Type part of the name, then choose from the list.
      </p>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={shown && count > 0}
        aria-controls={listId}
        aria-activedescendant={shown && active >= 0 ? optionId(active) : undefined}
        aria-describedby={hintId}
        aria-invalid={invalid}
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          if (value) onChange(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <ul id={listId} role="listbox" aria-label={`Clients matching ${query}`} className="combobox-list" hidden={!shown || count === 0}>
        {options.map((c, i) => (
          <li
            key={c.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className="combobox-option"
            // Keep focus in the input: the click still chooses.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(c)}
          >
            {c.name}
          </li>
        ))}
      </ul>
      <p role="status" className="combobox-status">
        {shown ? (count === 0 ? `No clients match “${query}”.` : `${count === RESULTS ? `First ${count}` : count} ${count === 1 ? 'match' : 'matches'}. Use the arrow keys or tap one to choose.`) : ''}
      </p>
    </div>
  );
}
