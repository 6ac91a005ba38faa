// One escaping function for the whole web layer: the digest renderer's, so both agree.
export { escapeHtml } from '../../core/digest/safe-text.ts';
