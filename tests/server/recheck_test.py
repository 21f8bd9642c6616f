"""recheck_test.py - re-checks are exact: after a correction the findings
are `gongkai check --json` of the corrected model file, and a report is
checked with last year's report of its body (the history.* rules) both
when last year's report is already stored and when it arrives later.

    recheck_test.py GONGKAI SOURCE_DIR sqlite|postgresql [PG_STATE]
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import EXAMPLE, Server, check, db_for  # noqa: E402

binary, src, mode = sys.argv[1], sys.argv[2], sys.argv[3]
db = db_for(mode, sys.argv, 'recheck')


def cli_findings(*args):
    """The diagnostics of `gongkai check --json --no-pair ARGS` as
    comparable tuples."""
    out = subprocess.run([binary, 'check', '--json', '--no-pair'] + list(args),
                         capture_output=True, check=False).stdout
    return sorted(((d['rule'], d['severity'], d['message'],
                    d.get('location', {}).get('line'), d.get('path'))
                   for d in json.loads(out)['diagnostics']), key=str)


def api_findings(rep):
    return sorted(((f['rule'], f['severity'], f['message'], f['line'], f['path'])
                   for f in rep['findings']), key=str)


def model_findings(rep):
    """The diagnostics the stored model carries, as api_findings():
    the model served must say what the findings say."""
    return sorted(((d['rule'], d['severity'], d['message'],
                    d.get('location', {}).get('line'), d.get('path'))
                   for d in rep['model'].get('diagnostics', [])), key=str)


def rules(rep):
    return sorted(f['rule'] for f in rep['findings'])


srv = Server(binary, db=db)
try:
    cases = os.path.join(src, 'tests/batch/cases')
    folder = os.path.join(srv.tmp, 'reports')
    os.makedirs(folder)
    # two bodies with the same two years: 白沙镇 as written, and 黑水镇,
    # the same reports under another name
    files = {}
    for name in ('baisha_2023.txt', 'baisha_2024_bad_carry.txt'):
        with open(os.path.join(cases, name), encoding='utf-8') as f:
            text = f.read()
        for town, tag in (('白沙镇', 'baisha'), ('黑水镇', 'heishui')):
            p = os.path.join(folder, name.replace('baisha', tag))
            with open(p, 'w', encoding='utf-8') as f:
                f.write(text.replace('白沙镇', town))
            files[name.replace('baisha', tag)] = p
    roster = ('名称,类型,上级\n云岭县,县,\n白沙镇人民政府,乡镇,云岭县\n'
              '黑水镇人民政府,乡镇,云岭县\n')
    for year in (2023, 2024):
        status = srv.request('POST', '/api/v1/roster?year=%d&reviewer=%%E5%%BC%%A0' % year,
                             raw=roster.encode())[0]
        check(status == 200, 'roster %d imported' % year)
    batch = srv.api('POST', 'batches', {'reviewer': '测试'}, expect=201)['id']

    def upload(name):
        rid = srv.upload(batch, files[name])['report_id']
        srv.wait_batch(batch)
        return rid

    # 黑水镇: last year's report is there when this year's is checked
    hs23 = upload('heishui_2023.txt')
    hs24 = upload('heishui_2024_bad_carry.txt')
    rep = srv.api('GET', 'reports/%d' % hs24)
    want = cli_findings('--prev', files['heishui_2023.txt'], files['heishui_2024_bad_carry.txt'])
    check('history.carry-over' in rules(rep), 'history rules at first check: %r' % rules(rep))
    check(api_findings(rep) == want, 'findings equal gongkai check --json --prev (%d)' % len(want))
    check(model_findings(rep) == want, 'the stored model\'s diagnostics are the findings')

    # 白沙镇: this year's report first, last year's later
    bs24 = upload('baisha_2024_bad_carry.txt')
    rep = srv.api('GET', 'reports/%d' % bs24)
    check(api_findings(rep) == cli_findings(files['baisha_2024_bad_carry.txt']),
          'without last year: the findings of the report alone')
    check('history.carry-over' not in rules(rep), 'no history finding yet')
    # a review made now is kept through the re-check
    first = rep['findings'][0]
    srv.api('POST', 'findings/%d/review' % first['id'],
            {'status': 'confirmed', 'reviewer': '张三'}, expect=200)
    bs23 = upload('baisha_2023.txt')
    rep = srv.api('GET', 'reports/%d' % bs24)
    want = cli_findings('--prev', files['baisha_2023.txt'], files['baisha_2024_bad_carry.txt'])
    check(api_findings(rep) == want, 'last year arrived: findings equal gongkai check --json --prev (%d)' % len(want))
    check(model_findings(rep) == want,
          'last year arrived: the stored model\'s diagnostics are the new findings')
    kept = [f for f in rep['findings'] if f['rule'] == first['rule'] and f['path'] == first['path']]
    check(kept and kept[0]['status'] == 'confirmed', 'the review is kept through the re-check')
    check(rep['errors'] == sum(1 for f in rep['findings'] if f['severity'] == 'error'),
          'the counts follow the findings')

    # a correction: the findings are those of the corrected model file,
    # checked with last year's stored model
    carried = [f for f in rep['findings'] if f['rule'] == 'history.carry-over'][0]
    after = srv.api('POST', 'reports/%d/corrections' % bs24,
                    {'path': carried['path'], 'value': '1', 'reviewer': '张三'}, expect=200)
    model = os.path.join(srv.tmp, 'corrected.json')
    with open(model, 'w', encoding='utf-8') as f:
        json.dump(after['model'], f, ensure_ascii=False)
    prev = os.path.join(srv.tmp, 'prev.json')
    with open(prev, 'w', encoding='utf-8') as f:
        json.dump(srv.api('GET', 'reports/%d' % bs23)['model'], f, ensure_ascii=False)
    want = cli_findings('--prev', prev, model)
    check(api_findings(after) == want,
          'after a correction: findings equal gongkai check --json of the corrected model (%d)' % len(want))
    check(carried['path'] not in [f['path'] for f in after['findings'] if f['rule'] == 'history.carry-over'],
          'the corrected carry-over is no longer a finding')

    # the same without last year: the example report, one blank corrected
    ex = srv.upload(batch, os.path.join(src, 'examples', EXAMPLE))['report_id']
    srv.wait_batch(batch)
    rep = srv.api('GET', 'reports/%d' % ex)
    blank = [f for f in rep['findings'] if f['rule'] == 'cell.blank'][0]
    after = srv.api('POST', 'reports/%d/corrections' % ex,
                    {'path': blank['path'] + '.business', 'value': '0', 'reviewer': '张三'}, expect=200)
    with open(model, 'w', encoding='utf-8') as f:
        json.dump(after['model'], f, ensure_ascii=False)
    want = cli_findings(model)
    check(api_findings(after) == want,
          'example corrected: findings equal gongkai check --json of the corrected model (%d)' % len(want))
    check(all(f['line'] for f in after['findings'] if f['path']), 'every cell finding keeps its source line')

    # a manual match moves the report: the body it left loses it as last year
    rows = {r['name']: r for r in srv.api('GET', 'roster?year=2024')}
    srv.api('POST', 'reports/%d/body' % hs23, {'region_id': rows['白沙镇人民政府']['body_id'],
                                              'reviewer': '张三'}, expect=200)
    rep = srv.api('GET', 'reports/%d' % hs24)
    check('history.carry-over' not in rules(rep),
          'last year moved to another body: no history finding left (%r)' % rules(rep))
    check(api_findings(rep) == cli_findings(files['heishui_2024_bad_carry.txt']),
          'and the findings are those of the report alone')
    # the corrected report of the body it joined was checked again: its
    # served model (the corrected one) says what its findings say, and
    # keeps the correction
    rep = srv.api('GET', 'reports/%d' % bs24)
    check(model_findings(rep) == api_findings(rep),
          'a corrected report checked again: its model\'s diagnostics are its findings')
    check(carried['path'] not in [f['path'] for f in rep['findings']
                                  if f['rule'] == 'history.carry-over'],
          'and the correction stands')

    srv.stop_clean()
finally:
    if srv.proc.poll() is None:
        srv.stop()
    print(srv.log_text()[-3000:])
    srv.cleanup()
print('recheck_test (%s): all passed' % mode)
