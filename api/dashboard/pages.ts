/** The dashboard's own small HTML pages (login, refusals). No scripts; inline styles only. */

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#151a21;color:#e6e9ee;display:flex;min-height:100vh;
align-items:center;justify-content:center;margin:0}main{background:#1f2630;padding:2rem 2.5rem;border-radius:8px;
min-width:18rem}h1{font-size:1.2rem;margin-top:0}label{display:block;margin:.8rem 0 .3rem}input{width:100%;
padding:.5rem;border-radius:4px;border:1px solid #3a4452;background:#151a21;color:inherit;box-sizing:border-box}
button{margin-top:1.2rem;padding:.5rem 1.2rem;border:0;border-radius:4px;background:#3b82f6;color:#fff;cursor:pointer}
.error{color:#f87171}a{color:#93c5fd}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function loginPage(message?: string): string {
  return page(
    'Analog Composer: operator login',
    `<h1>Operator dashboard</h1>
<p>Sign in with an admin account.</p>
${message ? `<p class="error">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/admin/login">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

export function refusalPage(title: string, message: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/admin/login">Sign in as another user</a></p>`,
  );
}
