// The Markdown renderer loads only where a policy is shown, keeping it out of the main bundle.
import { lazy, Suspense } from 'react';

const PolicyText = lazy(() => import('./policy-text.tsx').then((m) => ({ default: m.PolicyText })));

export function PolicyMarkdown({ markdown }: { markdown: string }) {
  return (
    <Suspense fallback={<p className="muted">Loading the text…</p>}>
      <PolicyText markdown={markdown} />
    </Suspense>
  );
}
