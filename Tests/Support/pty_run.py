#!/usr/bin/env python3
"""Run a command in a pseudo-terminal, answer its prompts, and report what the terminal showed.

Usage: pty_run.py SCRIPT.json -- COMMAND ARGS...
SCRIPT.json is a list of [wait_for_text, send]; `send` may be "^C" for Ctrl-C. PTY_COLUMNS in
the environment sets the terminal's width (30 rows). Prints the whole
terminal transcript to stdout and exits with the command's exit status (128+N for a signal).
Gives up after 60 seconds so a test can never hang.
"""
import json, os, pty, select, sys, time

def main():
    sep = sys.argv.index("--")
    script = json.load(open(sys.argv[1]))
    command = sys.argv[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        columns = os.environ.get("PTY_COLUMNS")
        if columns:
            import fcntl, struct, termios
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, int(columns), 0, 0))
        os.execvp(command[0], command)
    transcript = b""
    deadline = time.time() + 60
    step = 0
    seen_upto = 0
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            transcript += data
        while step < len(script) and script[step][0].encode() in transcript[seen_upto:]:
            seen_upto = transcript.index(script[step][0].encode(), seen_upto) + len(script[step][0])
            send = script[step][1]
            time.sleep(0.05)
            os.write(fd, b"\x03" if send == "^C" else (send + "\n").encode())
            step += 1
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(transcript.decode("utf-8", "replace"))
    sys.stdout.flush()
    code = os.waitstatus_to_exitcode(status)
    sys.exit(code if code >= 0 else 128 - code)

if __name__ == "__main__":
    main()
