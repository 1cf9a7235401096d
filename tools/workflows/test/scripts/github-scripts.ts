// upsert-pr-comment.sh (ONE infra-preview comment per pull request) and drift-issue.sh (ONE open
// drift issue) against a stand-in for the GitHub CLI (fake-gh.mjs keeps the state in a file;
// GitHub itself cannot be reached here).
import t from 'tap';
import { github } from '../fake-github.js';

t.test('upsert-pr-comment: creates the comment once, then edits it in place', async (t) => {
  const gh = github(t, { comments: [{ id: 7, issue: 42, body: 'LGTM', author: 'reviewer' }] });
  const first = gh.run('upsert-pr-comment.sh', '42', gh.file('c1.md', '<!-- zumo:infrastructure-preview -->\nfirst'));
  t.equal(first.status, 0, first.stderr);
  t.match(first.stdout, 'created a comment on #42');
  const created = gh.state().comments.find((c) => c.body.includes('first'))!;

  const second = gh.run('upsert-pr-comment.sh', '42', gh.file('c2.md', '<!-- zumo:infrastructure-preview -->\nsecond'));
  t.equal(second.status, 0, second.stderr);
  t.match(second.stdout, `updated comment ${created.id} on #42`);
  const comments = gh.state().comments;
  t.equal(comments.length, 2, "still one preview comment (plus the reviewer's)");
  t.equal(comments.find((c) => c.id === created.id)!.body, '<!-- zumo:infrastructure-preview -->\nsecond');
  t.equal(comments.find((c) => c.id === 7)!.body, 'LGTM', 'other comments are untouched');

  const other = gh.run(
    'upsert-pr-comment.sh',
    '43',
    gh.file('c3.md', '<!-- zumo:infrastructure-preview -->\nother PR'),
  );
  t.match(other.stdout, 'created a comment on #43', 'per pull request');
});

t.test("upsert-pr-comment: edits only the bot's own comment, never a look-alike", async (t) => {
  const marker = '<!-- zumo:infrastructure-preview -->';
  // Anyone can post a comment that starts with the marker (a quoted preview, or on purpose).
  const gh = github(t, { comments: [{ id: 7, issue: 42, body: `${marker}\nquoted by a human`, author: 'mallory' }] });
  const result = gh.run('upsert-pr-comment.sh', '42', gh.file('c.md', `${marker}\nthe preview`));
  t.equal(result.status, 0, result.stderr);
  t.match(result.stdout, 'created a comment on #42');
  const comments = gh.state().comments;
  t.equal(comments.find((c) => c.id === 7)!.body, `${marker}\nquoted by a human`, "the human's comment is untouched");
  t.same(
    comments.filter((c) => c.author === 'github-actions[bot]').map((c) => c.body),
    [`${marker}\nthe preview`],
    'the preview is a comment of the bot',
  );
});

t.test('upsert-pr-comment: refuses a body without its marker', async (t) => {
  const gh = github(t);
  const result = gh.run('upsert-pr-comment.sh', '42', gh.file('c.md', 'no marker\n'));
  t.equal(result.status, 2);
  t.match(result.stderr, /must start with a <!-- marker --> line/);
  const quoted = gh.run('upsert-pr-comment.sh', '42', gh.file('q.md', '<!-- a" or "x -->\n'));
  t.equal(quoted.status, 2, 'a marker that could break out of the jq filter is refused');
  t.same(gh.state().comments, []);
});

t.test('drift-issue: opens one issue, comments on it while drift lasts, closes it when clean', async (t) => {
  const gh = github(t);
  const report = gh.file('drift.md', '<!-- zumo:infrastructure-drift -->\nprod: 1 to update\n');

  const first = gh.run('drift-issue.sh', report, 'success', 'failure');
  t.equal(first.status, 1, 'the job fails on drift');
  t.match(first.stdout, /::error::drift or a failing preview; opened https:\/\/github.com\/acme\/zumo\/issues\/\d+/);
  t.equal(gh.state().issues.length, 1);

  const second = gh.run('drift-issue.sh', report, 'failure', 'success');
  t.equal(second.status, 1);
  const [issue] = gh.state().issues;
  t.equal(gh.state().issues.length, 1, 'no second issue');
  t.equal(issue!.comments.length, 1, 'the new report is a comment on the open issue');
  t.match(second.stdout, `updated issue #${issue!.number}`);

  const clean = gh.run('drift-issue.sh', report, 'success', 'success');
  t.equal(clean.status, 0);
  t.match(clean.stdout, `no drift; closed #${issue!.number}`);
  t.equal(gh.state().issues[0]!.state, 'closed');

  const quiet = gh.run('drift-issue.sh', report, 'success', 'success');
  t.equal(quiet.status, 0);
  t.match(quiet.stdout, /^drift-issue: no drift$/m);
});

t.test('drift-issue: a stack whose check an update overlapped (skipped) decides nothing', async (t) => {
  const gh = github(t);
  const report = gh.file('drift.md', '<!-- zumo:infrastructure-drift -->\nprod: skipped\n');
  const opened = gh.run('drift-issue.sh', report, 'success', 'failure');
  t.equal(opened.status, 1);
  const skipped = gh.run('drift-issue.sh', report, 'success', 'skipped');
  t.equal(skipped.status, 0, 'not a failure of the night');
  t.match(skipped.stdout, 'skipped');
  t.equal(gh.state().issues[0]!.state, 'open', 'the open issue stays open: nothing says prod is clean now');
  t.equal(gh.state().issues[0]!.comments.length, 0, 'and gets no report of drift');
  const alone = github(t);
  const first = alone.run('drift-issue.sh', report, 'skipped', 'skipped');
  t.equal(first.status, 0);
  t.same(alone.state().issues, [], 'no issue opened for a skipped night');
  t.equal(gh.run('drift-issue.sh', report, 'skipped', 'failure').status, 1, 'drift elsewhere still counts');
});
