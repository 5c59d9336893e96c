# delegator's light client for connection reuse (README "Connection reuse"), in Perl because a
# warm request must cost less than ssh's own client and a JVM start alone costs more: perl-base is
# Essential in Debian (always installed) and starts in a few milliseconds. The agent writes this
# file into its directory when it starts, with the protocol's constants filled in from
# dev.delegator.cli.agent.Frames (the one place they are defined); the launcher's fast path runs it
# as
#
#   perl light-client.pl AGENT_DIR CLASSPATH JAVA OPTIONS ARCHIVE -- ARGUMENTS...
#
# It speaks Frames' protocol exactly as LightClient.java does (same request, same messages, same
# exit statuses) and uses only perl-base modules. Whatever it does not handle itself goes to the
# JVM, which then decides as without this file ("fallback"): no agent answering, an unsafe
# directory, an agent of another uid (the JVM says so), a request with a byte above 0x7f anywhere
# (the JVM reads and refuses non-UTF-8 input exactly; this file never judges an encoding), or a
# declined request (the JVM is told so and does not ask again).
use strict;
use warnings;
use Socket qw(AF_UNIX SOCK_STREAM SOL_SOCKET SO_PEERCRED pack_sockaddr_un);
use POSIX qw(EINTR EAGAIN EWOULDBLOCK);
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);

my $VERSION = '@VERSION@';
my @ENVIRONMENT = (@ENVIRONMENT@);
my ($REQUEST, $STDIN, $STDIN_EOF, $CANCEL) = (@CLIENT_FRAMES@);
my ($ACCEPT, $DECLINE, $STDOUT, $STDERR, $EXIT, $ACK) = (@AGENT_FRAMES@);
my ($MAX, $WINDOW, $CHUNK) = (@SIZES@);

my ($dir, $cp, $java, $options, $archive, $dashes, @args) = @ARGV;
die "usage: perl light-client.pl AGENT_DIR CLASSPATH JAVA OPTIONS ARCHIVE -- ARGUMENTS...\n"
    unless defined $dashes && $dashes eq '--';
$SIG{PIPE} = 'IGNORE';    # as the JVM: a closed stdout is a write error, not a silent death

# Ctrl-C and SIGTERM: before the agent accepted, end as the JVM does (128+N); after, ask it to
# cancel (it closes that request's connection, ending the remote work) and wait for its status.
my $accepted = 0;
my $out = '';    # bytes for the agent, sent as the socket takes them
for my $sig (['INT', 2], ['TERM', 15]) {
    my $status = 128 + $sig->[1];
    $SIG{$sig->[0]} = sub {
        exit $status unless $accepted;
        $out .= frame($CANCEL, pack('N', $status));
    };
}
$SIG{HUP} = sub { exit 129 };

# The JVM, as the launcher would have started it; $declined tells it the agent said no, and
# $stdin_bytes (a git hook's ref list, read already) becomes its stdin again.
sub fallback {
    my ($declined, $stdin_bytes) = @_;
    if (defined $stdin_bytes) {
        pipe(my $r, my $w) or die "delegator: cannot make a pipe: $!\n";
        my $pid = fork;
        die "delegator: cannot fork: $!\n" unless defined $pid;
        if ($pid == 0) {
            close $r;
            write_all($w, $stdin_bytes);
            POSIX::_exit(0);
        }
        close $w;
        POSIX::dup2(fileno($r), 0) or die "delegator: cannot redirect stdin: $!\n";
    }
    $SIG{PIPE} = 'DEFAULT';    # an ignored signal would stay ignored across exec, in the JVM and its children
    my @cmd = ($java, split(' ', $options), ($archive eq '' ? () : ($archive)),
        ($declined ? ('-Ddelegator.agent.declined=true') : ()), '-cp', $cp, 'dev.delegator.cli.DelegatorMain', @args);
    { no warnings 'exec'; exec { $cmd[0] } @cmd; }
    print STDERR "delegator: cannot run $java: $!\n";
    exit 70;
}

sub ascii { return !grep { !defined($_) || /[^\x00-\x7f]/ } @_ }

my $hands_over = @args && ($args[0] eq 'run' || ($args[0] eq 'hook' && @args > 1 && ($args[1] eq 'hg' || $args[1] eq 'git')));
fallback(0) unless $hands_over && ascii(@args, $dir) && ascii(map { $ENV{$_} // '' } @ENVIRONMENT);

# the directory the launcher named by AgentDirectory.of's rule; one Java would spell differently
# (relative, with "//" or a trailing "/", which Path normalizes) goes to the JVM, so the socket
# path in a message is the JVM's
fallback(0) unless $dir =~ m{^/.} && $dir !~ m{//} && $dir !~ m{/$};
my $socket = "$dir/agent.sock";
my $cwd = POSIX::getcwd();
fallback(0) unless defined $cwd && ascii($cwd);

# the directory must be ours, a real directory, closed to group and others (AgentDirectory.problem)
my @st = lstat $dir;
fallback(0) unless @st && -d _ && !-l _ && $st[4] == $> && ($st[2] & 077) == 0 && -S $socket;

socket(my $sock, AF_UNIX, SOCK_STREAM, 0) or fallback(0);
connect($sock, pack_sockaddr_un($socket)) or fallback(0);
my $cred = getsockopt($sock, SOL_SOCKET, SO_PEERCRED);
# another uid: the JVM refuses it in its own words
fallback(0) unless defined $cred && length($cred) >= 12 && (unpack('lLL', $cred))[1] == $>;

# what the command reads from stdin before the agent accepts (LightClient.preRead)
my $pre;
if ($args[0] eq 'hook' && $args[1] eq 'git') {
    $pre = '';
    while (1) {
        my $n = sysread(STDIN, $pre, 65536, length $pre);
        if (!defined $n) {
            next if $! == EINTR;
            print STDERR "delegator: cannot read stdin: $!\n";
            exit 3;
        }
        last if $n == 0;
    }
} elsif ($args[0] eq 'hook') {
    $pre = '';
}

sub strings { return pack('N', scalar @_) . join('', map { pack('N/a*', $_) } @_) }
sub frame { my ($type, $payload) = @_; $payload //= ''; return pack('CN', $type, length $payload) . $payload }

my $build = $cp;
for my $entry (split /:/, $cp) {
    my @f = stat $entry;
    $build .= " $f[7]\@$f[9]" if @f && -f _;
}
my @env = map { "$_=$ENV{$_}" } grep { defined $ENV{$_} } @ENVIRONMENT;
$out .= frame($REQUEST, strings($VERSION, $build, $cwd, scalar @args, @args, @env));
if (defined $pre) {
    for (my $off = 0; $off < length $pre; $off += $CHUNK) {
        $out .= frame($STDIN, substr($pre, $off, $CHUNK));
    }
    $out .= frame($STDIN_EOF);
}

sub lost {
    print STDERR "delegator: lost the connection agent ($socket): $_[0]\n";
    exit 255;
}

sub write_all {
    my ($h, $bytes) = @_;
    my $off = 0;
    while ($off < length $bytes) {
        my $n = syswrite($h, $bytes, length($bytes) - $off, $off);
        if (!defined $n) {
            next if $! == EINTR;
            if ($! == EAGAIN || $! == EWOULDBLOCK) {    # a non-blocking stdout inherited: wait for it
                my $w = '';
                vec($w, fileno($h), 1) = 1;
                select(undef, $w, undef, undef);
                next;
            }
            return 0;
        }
        $off += $n;
    }
    return 1;
}

my $flags = fcntl($sock, F_GETFL, 0);
fcntl($sock, F_SETFL, $flags | O_NONBLOCK) or lost("cannot set the socket non-blocking: $!");
my $sfd = fileno($sock);
my $live_stdin = 0;          # run's stdin, forwarded once accepted
my $unacknowledged = 0;
my $in = '';

while (1) {
    # every whole frame read so far
    while (length($in) >= 5) {
        my ($type, $len) = unpack('C l>', $in);
        lost("agent protocol: frame of $len bytes") if $len < 0 || $len > $MAX;
        last if length($in) < 5 + $len;
        my $payload = substr($in, 5, $len);
        substr($in, 0, 5 + $len) = '';
        if ($type == $STDOUT) {
            write_all(\*STDOUT, $payload) or lost($!);
        } elsif ($type == $STDERR) {
            write_all(\*STDERR, $payload) or lost($!);
        } elsif ($type == $ACK) {
            $unacknowledged -= unpack('l>', $payload);
        } elsif ($type == $ACCEPT) {
            $accepted = 1;
            if (!defined $pre) {
                $live_stdin = 1;
                # stdin closed or unreadable: the remote command sees EOF, as with MINA's pump
                if (!defined fileno(STDIN)) {
                    $live_stdin = 0;
                    $out .= frame($STDIN_EOF);
                }
            }
        } elsif ($type == $DECLINE) {
            close $sock;
            fallback(1, $args[0] eq 'hook' && $args[1] eq 'git' ? $pre : undef);
        } elsif ($type == $EXIT) {
            exit(unpack('l>', $payload) & 0xff);
        } else {
            lost("agent protocol: unexpected frame $type");
        }
    }
    my ($r, $w) = ('', '');
    vec($r, $sfd, 1) = 1;
    vec($w, $sfd, 1) = 1 if length $out;
    # no more stdin than the agent will hold (Frames.WINDOW), and none while our own writes queue
    vec($r, 0, 1) = 1 if $live_stdin && $unacknowledged < $WINDOW && length($out) < $CHUNK;
    my $n = select($r, $w, undef, undef);
    if ($n < 0) {
        next if $! == EINTR;
        lost("select: $!");
    }
    if (vec($w, $sfd, 1)) {
        my $sent = syswrite($sock, $out);
        if (defined $sent) {
            substr($out, 0, $sent) = '';
        } elsif ($! != EINTR && $! != EAGAIN && $! != EWOULDBLOCK) {
            lost($!);
        }
    }
    if ($live_stdin && vec($r, 0, 1)) {
        my $room = $WINDOW - $unacknowledged;
        my $chunk = '';
        my $got = sysread(STDIN, $chunk, $room < $CHUNK ? $room : $CHUNK);
        if (defined $got && $got > 0) {
            $unacknowledged += $got;
            $out .= frame($STDIN, $chunk);
        } elsif (defined $got || ($! != EINTR && $! != EAGAIN && $! != EWOULDBLOCK)) {
            $live_stdin = 0;
            $out .= frame($STDIN_EOF);
        }
    }
    if (vec($r, $sfd, 1)) {
        my $got = sysread($sock, $in, 262144, length $in);
        if (!defined $got) {
            next if $! == EINTR || $! == EAGAIN || $! == EWOULDBLOCK;
            lost($!);
        }
        if ($got == 0) {
            lost("agent protocol: stream ended inside a frame") if length $in;
            print STDERR "delegator: the connection agent ($socket) ended before the request finished\n";
            exit 255;
        }
    }
}
