#!/bin/busybox sh
# /usr/bin/smmu-strtab-dump-measured in the capture initramfs: the tool under busybox time
# (wall time, peak RSS from wait4's rusage), plus its /proc/PID/status memory lines sampled
# every 0.2 s (the last sample: VmHWM and the RSS split), appended beside the hook's log.
dir=$(ls -1d /var/crash/*/ 2>/dev/null | tail -n 1)
out=${dir:-/tmp/}smmu-strtab-dump.time
time -a -o "$out" -f "args=$* elapsed_s=%e maxrss_kb=%M exit=%x" /usr/bin/smmu-strtab-dump "$@" &
t=$!
last=
while kill -0 $t 2>/dev/null; do
    for p in $(pidof smmu-strtab-dump); do
        s=$(grep -E '^(VmHWM|VmRSS|RssAnon|RssFile|RssShmem):' /proc/$p/status 2>/dev/null | tr -s ' \t' ' ' | tr '\n' ' ')
        [ -n "$s" ] && last=$s
    done
    usleep 200000
done
wait $t
rc=$?
echo "sampled $last" >> "$out"
exit $rc
