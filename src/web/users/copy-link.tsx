import { useRef, useState } from 'react';

/** Read-only link with a Copy button (falls back to selecting the text). */
export function CopyLink({ url }: { url: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Link copied.');
    } catch {
      input.current?.select();
      setCopied('Press Ctrl+C (or ⌘C) to copy the selected link.');
    }
  }

  return (
    <div className="copy-link">
      <label htmlFor="invite-link">Invite link</label>
      <div className="row">
        <input id="invite-link" ref={input} value={url} readOnly onFocus={(e) => e.target.select()} />
        <button type="button" className="secondary" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p aria-live="polite" className="hint">
        {copied}
      </p>
    </div>
  );
}
