"""serve_exec_test.py - `gongkai serve` is the gongkai-serve program, run in
place of the gongkai process (src/cli/serve_exec.c), and gongkai itself
does not load the server's libraries.

  /usr/bin/python3 serve_exec_test.py GONGKAI GONGKAI_SERVE INSTALLED_SERVE \
      [CMAKE BUILD_DIR]

What it checks:
  - gongkai's ELF NEEDED entries name none of the server's libraries
    (libmicrohttpd, libpq, libcurl, libargon2, libsqlite3); gongkai-serve's
    name them (readelf, from binutils);
  - `gongkai serve --help` and gongkai-serve --help print serve's usage;
    `gongkai serve --list-routes` through the CLI prints what gongkai-serve
    prints;
  - a usage error's message and exit status 2 come through unchanged;
  - a running `gongkai serve` is the same process (exec, not fork): its
    /proc/PID/exe is gongkai-serve, its environment, standard input and an
    ignored signal are the ones given to gongkai, and SIGTERM stops it with
    status 0;
  - gongkai copied alone into an empty folder says, in Chinese, that it
    cannot find gongkai-serve and exits 1 (unless INSTALLED_SERVE, the
    configured install location, exists: then that one runs);
  - with CMAKE and BUILD_DIR: `cmake --install BUILD_DIR --prefix TMP`
    puts gongkai in TMP/bin and gongkai-serve in TMP/libexec/gongkai, and
    the installed `gongkai serve` finds it there (a prefix other than the
    configured one: the lookup relative to gongkai's own folder).
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gkserver import check, fail  # noqa: E402

SERVER_LIBS = ('libmicrohttpd', 'libpq', 'libcurl', 'libargon2', 'libsqlite3')


def needed(binary):
    """The DT_NEEDED libraries of an ELF file (readelf -d)."""
    out = subprocess.run(['readelf', '-d', binary], check=True,
                         capture_output=True, text=True).stdout
    return [line.split('[', 1)[1].split(']', 1)[0]
            for line in out.splitlines() if '(NEEDED)' in line]


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kw)


def proc_status(pid):
    with open('/proc/%d/status' % pid) as f:
        return dict(line.rstrip('\n').split(':\t', 1) for line in f if ':\t' in line)


def has_signal(mask_hex, sig):
    return (int(mask_hex, 16) >> (sig - 1)) & 1 == 1


def main():
    if len(sys.argv) not in (4, 6):
        fail('usage: serve_exec_test.py GONGKAI GONGKAI_SERVE INSTALLED_SERVE '
             '[CMAKE BUILD_DIR]')
    gongkai, serve, installed = sys.argv[1:4]
    gongkai = os.path.abspath(gongkai)
    serve = os.path.abspath(serve)
    tmp = tempfile.mkdtemp(prefix='gk-serve-exec.')
    try:
        if shutil.which('readelf'):
            cli_libs = needed(gongkai)
            srv_libs = needed(serve)
            check(not [n for n in cli_libs if n.startswith(SERVER_LIBS)],
                  'gongkai needs none of the server libraries: %s' % ' '.join(cli_libs))
            check(all(any(n.startswith(p) for n in srv_libs) for p in SERVER_LIBS),
                  'gongkai-serve needs them all')
        else:
            print('note: no readelf (binutils); the library lists are not checked')

        r = run([gongkai, 'serve', '--help'])
        check(r.returncode == 0 and 'gongkai serve [--data DIR]' in r.stdout,
              'gongkai serve --help prints serve\'s usage')
        for flag in ('--help', '-h'):
            d = run([serve, flag])
            check(d.returncode == 0 and d.stdout == r.stdout and d.stderr == '',
                  'gongkai-serve %s prints what gongkai serve --help prints' % flag)
        r = run([gongkai, '--help'])
        check(r.returncode == 0 and 'gongkai serve' in r.stdout,
              'gongkai --help still lists serve')

        via_cli = run([gongkai, 'serve', '--list-routes'])
        direct = run([serve, '--list-routes'])
        check(via_cli.returncode == 0 and direct.returncode == 0,
              '--list-routes exits 0 both ways')
        check(via_cli.stdout == direct.stdout and '/api/v1/login' in via_cli.stdout,
              'gongkai serve --list-routes prints what gongkai-serve prints (%d lines)'
              % via_cli.stdout.count('\n'))

        r = run([gongkai, 'serve', '--workers', '0'])
        check(r.returncode == 2 and '--workers 应为 1 到 64' in r.stderr
              and '请运行 gongkai --help' in r.stderr,
              'a usage error: status 2 and serve\'s message through the CLI')

        # A running server: same pid, environment, stdin, signal dispositions.
        data = os.path.join(tmp, 'data')
        port_file = os.path.join(tmp, 'port')
        stdin_path = os.path.join(tmp, 'stdin.txt')
        with open(stdin_path, 'w') as f:
            f.write('x\n')
        env = dict(os.environ, GK_SERVE_EXEC_TEST='环境变量-%d' % os.getpid())

        def ignore_usr2():
            signal.signal(signal.SIGUSR2, signal.SIG_IGN)

        log = open(os.path.join(tmp, 'server.log'), 'w+')
        with open(stdin_path) as stdin:
            proc = subprocess.Popen(
                [gongkai, 'serve', '--data', data, '--listen', '127.0.0.1:0',
                 '--port-file', port_file, '--workers', '1'],
                stdin=stdin, stdout=log, stderr=log, env=env,
                preexec_fn=ignore_usr2)
        try:
            # Up when SIGTERM is caught (http.c installs its handler after
            # writing the port file).
            deadline = time.time() + 120
            st = None
            while time.time() < deadline:
                if proc.poll() is not None:
                    log.seek(0)
                    fail('server exited at start: ' + log.read())
                if os.path.exists(port_file):
                    st = proc_status(proc.pid)
                    if has_signal(st['SigCgt'], signal.SIGTERM):
                        break
                time.sleep(0.05)
            else:
                fail('server did not start within 120 s')
            exe = os.readlink('/proc/%d/exe' % proc.pid)
            check(os.path.basename(exe) == 'gongkai-serve',
                  'the process started as gongkai is now gongkai-serve (%s)' % exe)
            with open('/proc/%d/environ' % proc.pid, 'rb') as f:
                environ = f.read().split(b'\0')
            check(('GK_SERVE_EXEC_TEST=' + env['GK_SERVE_EXEC_TEST']).encode() in environ,
                  'the environment passes through')
            check(os.readlink('/proc/%d/fd/0' % proc.pid) == os.path.realpath(stdin_path),
                  'standard input passes through')
            check(has_signal(st['SigIgn'], signal.SIGUSR2),
                  'an ignored signal stays ignored')
            proc.send_signal(signal.SIGTERM)
            rc = proc.wait(timeout=120)
            check(rc == 0, 'SIGTERM stops it with status 0 (got %d)' % rc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            log.close()

        # gongkai without gongkai-serve beside it.
        alone = os.path.join(tmp, 'alone')
        os.mkdir(alone)
        shutil.copy2(gongkai, alone)
        r = run([os.path.join(alone, 'gongkai'), 'serve', '--list-routes'])
        if os.path.exists(installed):
            print('note: %s is installed; it runs instead' % installed)
            check(r.returncode == 0 and r.stdout == direct.stdout,
                  'gongkai alone runs the installed gongkai-serve')
        else:
            check(r.returncode == 1 and '找不到审核工作台程序 gongkai-serve' in r.stderr
                  and os.path.join(alone, 'gongkai-serve') in r.stderr,
                  'gongkai alone: the Chinese message naming where it looked, status 1')
            check(r.stdout == '', 'and nothing on standard output')
        r = run([os.path.join(alone, 'gongkai'), 'serve', '--help'])
        check(r.returncode == 0 and 'gongkai serve' in r.stdout,
              'gongkai serve --help needs no gongkai-serve')
        r = run([os.path.join(alone, 'gongkai'), '--version'])
        check(r.returncode == 0 and r.stdout.startswith('gongkai '),
              'the other commands need no gongkai-serve')

        if len(sys.argv) == 6:
            prefix = os.path.join(tmp, 'prefix')
            r = run([sys.argv[4], '--install', sys.argv[5], '--prefix', prefix])
            check(r.returncode == 0, 'cmake --install into a temporary prefix')
            bin_gk = os.path.join(prefix, 'bin', 'gongkai')
            lib_srv = os.path.join(prefix, 'libexec', 'gongkai', 'gongkai-serve')
            check(os.access(bin_gk, os.X_OK) and os.access(lib_srv, os.X_OK)
                  and not os.path.exists(os.path.join(prefix, 'bin', 'gongkai-serve')),
                  'installed: bin/gongkai and libexec/gongkai/gongkai-serve')
            r = run([bin_gk, 'serve', '--list-routes'])
            check(r.returncode == 0 and r.stdout == direct.stdout,
                  'the installed gongkai serve runs libexec/gongkai/gongkai-serve')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('PASS')


main()
