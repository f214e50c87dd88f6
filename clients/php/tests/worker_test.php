<?php

declare(strict_types=1);

use Tend\Control;
use Tend\State;
use Tend\TendException;

Check::test('publish: an identical snapshot is skipped; a bad key or one over the limit is refused at once', function () {
    $data = State::open()->get('publisher');
    Check::same('true', $data['first']);
    Check::same('false', $data['again'], 'the second, identical publish was skipped');
    Check::contains("exceeds the state file's limit of 65536 bytes", $data['too_big']);
    Check::contains('is not 1 to 1024 bytes of UTF-8', $data['empty_key']);
    // first, skipped, refused, refused, the last one: two versions
    Check::same(2, State::open()->version('publisher'));
});

Check::test('stop: the job in hand is finished, then the worker exits 0', function () {
    $state = State::open();
    Check::await(10, 'jobs.1 to start a job', fn () => (int) ($state->get('jobs')['started'] ?? 0) > 0);
    $result = (new Control())->request(['op' => 'stop', 'targets' => ['jobs.1'], 'wait' => true], 20);
    Check::same('stopped', $result['workers'][0]['state']);
    Check::same('exit status 0', $result['workers'][0]['last_exit']);
    $data = $state->get('jobs');
    Check::same($data['started'], $data['finished'], 'every job started was finished');
});

Check::test('require: a lazy worker is started and ready; its state is readable at once', function () {
    $result = (new Control())->require('fine-1', 20);
    Check::contains('required fine-1', $result['message']);
    Check::same('héllo ✓', State::open()->get('fine-1')['text'], 'its first snapshot made it ready');
});

Check::test('require: a worker that fails before it is ready throws its report', function () {
    $e = Check::throws(TendException::class, fn () => (new Control())->require(['broken-1'], 20));
    Check::same(1, $e->getCode());
    Check::contains('broken-1 ended before it was ready', $e->getMessage());
    $report = $e->failures[0];
    Check::same('broken-1', $report->worker);
    Check::same('broken', $report->pool);
    Check::same('exit status 9', $report->lastExit);
    Check::same(["cannot reach the database"], $report->stderr);
    Check::contains("echo 'cannot reach the database' >&2; exit 9", $report->command);
    Check::same(1, $report->attempts);
    Check::contains("  last lines of stderr:\n    cannot reach the database", $e->report());
});

Check::test('require: a timeout is code 4 with the report; an unknown name is code 3', function () {
    $e = Check::throws(TendException::class, fn () => (new Control())->require('mute-1', 1));
    Check::same(4, $e->getCode());
    Check::contains('not ready after', $e->failures[0]->reason);
    Check::same(3, Check::throws(TendException::class, fn () => (new Control())->require('nobody'))->getCode());
    Check::same(3, Check::throws(TendException::class, fn () => (new Control('/nonexistent/control.sock'))->ps())->getCode());
});

Check::test('ps: every worker with its state', function () {
    $names = array_column((new Control())->ps(), 'state', 'name');
    Check::same('running', $names['publisher.1']);
    Check::true(array_key_exists('jobs.1', $names), 'jobs.1 is listed');
    $env = getenv('TEND_SOCKET');
    Check::same($env, Control::socketPath());
    Check::same($env, Control::socketPath(getenv('TEND_NAME')));
});
