import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/** The tags and attributes TensorBoard lets through its sanitizer (bleach). */
const ALLOWED_TAGS = [
  'ul',
  'ol',
  'li',
  'p',
  'pre',
  'code',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'br',
  'strong',
  'em',
  'a',
  'img',
  'table',
  'thead',
  'tbody',
  'td',
  'tr',
  'th',
];
const ALLOWED_ATTRIBUTES = { a: ['href', 'title'], img: ['src', 'title', 'alt'] };

const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

/**
 * HTML safe to insert into a page. As TensorBoard's bleach, disallowed tags
 * are escaped (shown as text), not dropped.
 */
export function safeHtml(unsafe: string): string {
  return sanitizeHtml(unsafe, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto'],
    disallowedTagsMode: 'escape',
  });
}

/** Markdown (tables on) → sanitized HTML, with the block layout of Python-Markdown (no trailing newline). */
export function markdownToUnsafeHtml(source: string): string {
  return markdown.render(source.replace(/\0/g, '')).replace(/\n+$/, '');
}

export function markdownToSafeHtml(source: string): string {
  return safeHtml(markdownToUnsafeHtml(source));
}
