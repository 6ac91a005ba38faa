import { createHash } from 'node:crypto';
import { escapeHtml } from './escape.ts';

// Every page shares one tiny stylesheet and (on the subscribe page only) one tiny script. Both are
// inline and allowed by hash in the CSP, so the policy can stay `default-src 'none'`: no external
// request, no injected script or style can run even if an escaping bug slipped through.

const CSS = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
main{max-width:36rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:2rem 0 .5rem}
h3{font-size:1rem;margin:0 0 .5rem}
label,legend{font-weight:600}
fieldset{border:1px solid #ccc;border-radius:6px;margin:0 0 1rem;padding:.5rem 1rem 1rem}
.field{margin:0 0 1rem}
.choice{display:block;font-weight:400;margin:.25rem 0}
input[type=email],input[type=text],select{display:block;width:100%;box-sizing:border-box;font:inherit;padding:.5rem;margin-top:.25rem;border:1px solid #888;border-radius:4px}
input[aria-invalid=true],select[aria-invalid=true]{border-color:#b91c1c;border-width:2px}
button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer;margin:0 .4rem .4rem 0}
button.secondary{background:#555}
button.danger{background:#b91c1c}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.error{border-left:4px solid #b91c1c;background:#fef2f2;padding:.5rem 1rem;margin:0 0 1rem}
.field-error{color:#b91c1c;margin:.25rem 0 0}
.field-error code{color:#1a1a1a;background:#fff;padding:0 .2rem;white-space:pre-wrap}
.note{color:#444;font-size:.9rem}
.card{border:1px solid #ccc;border-radius:6px;background:#fff;margin:0 0 1rem;padding:.75rem 1rem .5rem}
.tag{font-size:.8rem;font-weight:600;background:#e5e7eb;border-radius:4px;padding:0 .4rem;margin-left:.4rem}
.preview{border-left:4px solid #1d4ed8;background:#eff6ff;padding:.5rem 1rem;margin:0 0 1rem}
.preview ol{padding-left:1.2rem}
.preview li{margin:0 0 .75rem}
.preview p{margin:.2rem 0}
mark{background:#fde68a;color:inherit}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`.trim();

/** Prefills the time zone from the browser; without JavaScript the select simply stays on UTC. */
const TIMEZONE_SCRIPT =
  "(function(){var s=document.getElementById('timezone');if(!s||s.getAttribute('data-chosen'))return;" +
  'try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;for(var i=0;i<s.options.length;i++)' +
  '{if(s.options[i].value===z){s.value=z;break;}}}catch(e){}})();';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The Content-Security-Policy of every page. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${sha256(CSS)}`,
  `script-src ${sha256(TIMEZONE_SCRIPT)}`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers of every HTML response: no framing, no sniffing, no token leaking through Referer. */
export function securityHeaders(): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    // Pages carry personal data and tokens: never stored by a shared cache or the back button.
    'cache-control': 'no-store',
  };
}

export interface PageOptions {
  title: string;
  /** Already-escaped HTML of the main content. */
  body: string;
  /** Adds the time-zone prefill script. */
  timezoneScript?: boolean;
}

/** A whole HTML document. `title` is escaped here; `body` must already be safe HTML. */
export function renderPage(options: PageOptions): string {
  const script = options.timezoneScript ? `\n<script>${TIMEZONE_SCRIPT}</script>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)} · Newshound</title>
<style>${CSS}</style>
</head>
<body>
<main>
${options.body}
</main>${script}
</body>
</html>
`;
}
