// The policy's Markdown as plain, safe HTML: no raw HTML, no remote images.
import Markdown, { type Components } from 'react-markdown';
import type { ComponentPropsWithoutRef } from 'react';

type HeadingTag = 'h3' | 'h4' | 'h5' | 'h6';

/** The page has its h1 and the policy title is an h2, so the text's own headings start at h3. */
function heading(Tag: HeadingTag) {
  return function PolicyHeading({ node: _node, ...props }: ComponentPropsWithoutRef<HeadingTag> & { node?: unknown }) {
    return <Tag {...props} />;
  };
}

const components: Components = {
  h1: heading('h3'),
  h2: heading('h4'),
  h3: heading('h5'),
  h4: heading('h6'),
  h5: heading('h6'),
  h6: heading('h6'),
};

export function PolicyText({ markdown }: { markdown: string }) {
  return (
    <div className="policy-text">
      {/* skipHtml drops HTML tags and keeps the words between them; react-markdown never renders raw HTML. */}
      <Markdown skipHtml disallowedElements={['img']} components={components}>
        {markdown}
      </Markdown>
    </div>
  );
}
