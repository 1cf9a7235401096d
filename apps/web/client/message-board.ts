import { ApiError, api, type Message, type MessagePage } from './api.js';
import { byId } from './format.js';
import { MESSAGE_LIMITS } from '../src/schemas/limits.js';
import { MAX_COMBINING_MARKS, brokenTextRules, type TextRule } from '../src/schemas/text-rules.js';

const characters = (text: string) => [...text].length;

/** The page's words for the server's text rules (src/schemas/text-rules.ts). */
const RULE_HINTS: Readonly<Record<TextRule, string>> = {
  control: 'Line breaks and control characters are not allowed.',
  format: 'Invisible formatting characters are not allowed.',
  tags: 'Hidden tag characters are not allowed.',
  joiner: 'Zero-width joiners are allowed only between letters or emoji.',
  variation: 'Use a variation selector only right after a character it applies to.',
  marks: `At most ${MAX_COMBINING_MARKS} accents or marks on one letter.`,
  visible: 'Write something visible.',
};

/** The same rules the server applies; the server stays the authority. */
export function checkMessage(content: string, author: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const text = content.trim();
  const name = author.trim();
  const textRule = brokenTextRules(text)[0];
  if (characters(text) === 0) errors['content'] = 'Write a message first.';
  else if (characters(text) > MESSAGE_LIMITS.contentMax)
    errors['content'] = `At most ${MESSAGE_LIMITS.contentMax} characters.`;
  else if (textRule) errors['content'] = RULE_HINTS[textRule];
  const nameRule = name === '' ? undefined : brokenTextRules(name)[0];
  if (characters(name) > MESSAGE_LIMITS.authorMax) errors['author'] = `At most ${MESSAGE_LIMITS.authorMax} characters.`;
  else if (nameRule) errors['author'] = nameRule === 'visible' ? 'Use visible characters only.' : RULE_HINTS[nameRule];
  return errors;
}

/** Message list, "load more" and the post form. All text is set with textContent, never as HTML. */
export function startMessageBoard(): void {
  const list = byId<HTMLOListElement>('messages');
  const listError = byId('messages-error');
  const loadMore = byId<HTMLButtonElement>('load-more');
  const form = byId<HTMLFormElement>('message-form');
  const content = byId<HTMLTextAreaElement>('content');
  const author = byId<HTMLInputElement>('author');
  const count = byId('content-count');
  const formStatus = byId('form-status');
  const submit = form.querySelector('button[type="submit"]') as HTMLButtonElement;
  let nextBefore: number | null = null;

  const item = (message: Message) => {
    const li = document.createElement('li');
    li.dataset['id'] = String(message.id);
    const text = document.createElement('p');
    text.className = 'message-text';
    text.textContent = message.content;
    const meta = document.createElement('p');
    meta.className = 'message-meta';
    const when = document.createElement('time');
    when.dateTime = message.createdAt;
    when.textContent = new Date(message.createdAt).toLocaleString();
    meta.append(`${message.author ?? 'anonymous'} · `, when);
    li.append(text, meta);
    return li;
  };

  const load = async (before: number | null) => {
    try {
      const page = await api<MessagePage>(
        `api/messages?limit=${MESSAGE_LIMITS.pageDefault}${before ? `&before=${before}` : ''}`,
      );
      if (before === null) list.replaceChildren();
      list.append(...page.items.map(item));
      nextBefore = page.nextBefore;
      loadMore.hidden = nextBefore === null;
      listError.textContent = '';
    } catch (err) {
      listError.textContent = `Messages could not be loaded: ${err instanceof Error ? err.message : 'network error'}`;
    }
  };

  const setFieldErrors = (errors: Record<string, string>) => {
    for (const [name, input] of [
      ['content', content],
      ['author', author],
    ] as const) {
      const message = errors[name] ?? '';
      byId(`${name}-error`).textContent = message;
      input.setAttribute('aria-invalid', message ? 'true' : 'false');
    }
  };

  content.addEventListener('input', () => {
    count.textContent = String(characters(content.value.trim()));
  });
  loadMore.addEventListener('click', () => void load(nextBefore));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formStatus.textContent = '';
    const errors = checkMessage(content.value, author.value);
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      (errors['content'] ? content : author).focus();
      return;
    }
    submit.disabled = true;
    try {
      const name = author.value.trim();
      const created = await api<Message>('api/messages', {
        method: 'POST',
        body: JSON.stringify({ content: content.value.trim(), ...(name ? { author: name } : {}) }),
      });
      list.prepend(item(created));
      content.value = '';
      count.textContent = '0';
      formStatus.textContent = 'Posted.';
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.details.length > 0) {
        setFieldErrors(Object.fromEntries(err.details.map((d) => [d.field, `The server says: ${d.message}.`])));
      } else if (err instanceof ApiError && err.status === 429) {
        formStatus.textContent = `Too many messages. Try again in ${err.retryAfterSeconds ?? 60} s.`;
      } else {
        formStatus.textContent = `Not posted: ${err instanceof Error ? err.message : 'network error'}`;
      }
    } finally {
      submit.disabled = false;
    }
  });

  void load(null);
}
