#!/usr/bin/env node
// A stand-in for the GitHub CLI (GitHub cannot be reached here): it keeps pull requests, their
// comments, issues and labels in a JSON file ($FAKE_GH_STATE) and implements exactly the calls the
// .github/scripts make. --jq filters run through the real jq, as gh does. Anything else fails.
// Comments carry their author as the REST API does (`user.login`); the caller is $FAKE_GH_LOGIN.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const statePath = process.env.FAKE_GH_STATE;
const state = JSON.parse(readFileSync(statePath, 'utf8'));
const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));
const args = process.argv.slice(2);
const login = process.env.FAKE_GH_LOGIN ?? 'github-actions[bot]';
const option = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const out = (value) => {
  const jq = option('--jq');
  const json = JSON.stringify(value);
  process.stdout.write(jq ? execFileSync('jq', ['-r', jq], { input: json, encoding: 'utf8' }) : `${json}\n`);
};
const fail = () => {
  process.stderr.write(`fake gh: unsupported call: ${args.join(' ')}\n`);
  process.exit(1);
};
const body = () => {
  const field = args[args.indexOf('-F') + 1] ?? '';
  return readFileSync(field.replace(/^body=@/, ''), 'utf8');
};
state.calls.push(args.join(' '));

if (args[0] === 'api') {
  const path = args.find((a) => a.startsWith('repos/'));
  const method = option('--method') ?? 'GET';
  let m;
  if (method === 'GET' && (m = /^repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path))) {
    out(
      state.comments
        .filter((c) => c.issue === Number(m[1]))
        .map(({ id, body, author }) => ({ id, body, user: { login: author } })),
    );
  } else if (method === 'POST' && (m = /^repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path))) {
    state.comments.push({ id: state.nextId++, issue: Number(m[1]), body: body(), author: login });
    save();
  } else if (method === 'GET' && /^repos\/[^/]+\/[^/]+\/rulesets$/.test(path)) {
    out((state.rulesets ?? []).map(({ id, name }) => ({ id, name })));
  } else if (method === 'POST' && /^repos\/[^/]+\/[^/]+\/rulesets$/.test(path)) {
    const body = JSON.parse(readFileSync(0, 'utf8'));
    (state.rulesets ??= []).push({ id: state.nextId++, name: body.name, body });
    save();
  } else if (method === 'PUT' && (m = /^repos\/[^/]+\/[^/]+\/rulesets\/(\d+)$/.exec(path))) {
    const ruleset = (state.rulesets ?? []).find((r) => r.id === Number(m[1]));
    if (!ruleset) process.exit(1);
    ruleset.body = JSON.parse(readFileSync(0, 'utf8'));
    save();
  } else if (method === 'PUT' && /^repos\/[^/]+\/[^/]+\/actions\/permissions\/workflow$/.test(path)) {
    save();
  } else if (method === 'PATCH' && (m = /^repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path))) {
    const comment = state.comments.find((c) => c.id === Number(m[1]));
    // GitHub refuses to edit someone else's comment (403); so does the stand-in.
    if (!comment || comment.author !== login) process.exit(1);
    comment.body = body();
    save();
  } else fail();
} else if (args[0] === 'issue' && args[1] === 'list') {
  const label = option('--label');
  out(state.issues.filter((i) => i.state === 'open' && i.labels.includes(label)).map(({ number }) => ({ number })));
} else if (args[0] === 'issue' && args[1] === 'create') {
  const number = state.nextId++;
  state.issues.push({
    number,
    title: option('--title'),
    labels: [option('--label')],
    state: 'open',
    body: readFileSync(option('--body-file'), 'utf8'),
    comments: [],
  });
  save();
  process.stdout.write(`https://github.com/acme/zumo/issues/${number}\n`);
} else if (args[0] === 'issue' && (args[1] === 'comment' || args[1] === 'close')) {
  const issue = state.issues.find((i) => i.number === Number(args[2]));
  if (!issue) process.exit(1);
  if (args[1] === 'comment') issue.comments.push(readFileSync(option('--body-file'), 'utf8'));
  else {
    issue.state = 'closed';
    issue.comments.push(option('--comment'));
  }
  save();
} else if (args[0] === 'pr' && args[1] === 'list') {
  // gh lists OPEN, CLOSED or MERGED pull requests (--state all: every one); the stand-in keeps them lower-case.
  const head = option('--head');
  const wanted = option('--state');
  const found = state.pulls.filter(
    (p) => p.head === head && p.base === option('--base') && (wanted === 'all' || p.state === wanted),
  );
  out(found.map(({ number, state }) => ({ number, state: state.toUpperCase() })));
} else if (args[0] === 'pr' && args[1] === 'create') {
  const number = state.nextId++;
  state.pulls.push({
    number,
    base: option('--base'),
    head: option('--head'),
    title: option('--title'),
    body: option('--body'),
    state: 'open',
    author: login,
  });
  save();
  process.stdout.write(`https://github.com/acme/zumo/pull/${number}\n`);
} else if (args[0] === 'label' && args[1] === 'create') {
  save();
} else fail();
