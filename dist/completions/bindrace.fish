function __bindrace_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __bindrace_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __bindrace_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __bindrace_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __bindrace_parse_tokens -S
    set -l unparsed_tokens (__bindrace_tokens -pc)
    switch $unparsed_tokens[1]
    case 'bindrace'
        __bindrace_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'inspect'
            __bindrace_parse_subcommand 1 'format=' 'input-format=' 'version' 'h/help'
        case 'convert'
            __bindrace_parse_subcommand 2 'to=' 'from=' 'version' 'h/help'
        case 'report'
            __bindrace_parse_subcommand -r 1 'format=' 'o/output=' 'input-format=' 'all' 'q/quiet' 'jobs=' 'version' 'h/help'
        case 'export'
            __bindrace_parse_subcommand 1 'format=' 'o/output=' 'input-format=' 'version' 'h/help'
        case 'synth'
            __bindrace_parse_subcommand 0 'o/output=' 'events=' 'seed=' 'nics=' 'vfs=' 'gpus=' 'workers=' 'race-every=' 'processes=' 'task-pool=' 'truth=' 'version' 'h/help'
        case 'capture'
            __bindrace_parse_subcommand 0 'o/output=' 'duration=' 'until-settled' 'settle-time=' 'force' 'pid-file=' 'boot' 'skip-probe=+' 'no-fentry' 'verbose' 'version' 'h/help'
        case 'match'
            __bindrace_parse_subcommand 0 'kmod-dir=' 'root=' 'trace=' 'kernel-release=' 'modalias=+' 'modalias-file=' 'config=+' 'module-file=+' 'cmdline-file=' 'format=' 'keep-duplicates' 'version' 'h/help'
        case 'check'
            __bindrace_parse_subcommand -r 1 'expect=' 'format=' 'junit=' 'input-format=' 'modprobe-d=' 'cmdline=' 'override=+' 'version' 'h/help'
        case 'baseline'
            __bindrace_parse_subcommand -r 1 'o/output=' 'update' 'input-format=' 'version' 'h/help'
        case 'diff'
            __bindrace_parse_subcommand 2 'format=' 'input-format=' 'modprobe-d=' 'cmdline=' 'override=+' 'version' 'h/help'
        case 'help'
            __bindrace_parse_subcommand -r 1 'version'
        end
    end
end

function __bindrace_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __bindrace_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __bindrace_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __bindrace_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__bindrace_tokens -p)
    if test -z "$(__bindrace_tokens -t)"
        set -l index (count (__bindrace_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'bindrace' -f
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace" version' -l 'version' -d 'Show the version.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_positional "bindrace" -eq 1' -fa 'inspect' -d 'Show a trace\'s header, snapshots, event counts per kind, losses and time span.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_positional "bindrace" -eq 1' -fa 'convert' -d 'Convert a trace between the binary (.brt) and JSONL (.jsonl) forms.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_positional "bindrace" -eq 1' -fa 'report' -d 'Replay traces against the driver core: every driver that could win each device, and why.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_positional "bindrace" -eq 1' -fa 'export' -d 'Export a trace for other viewers (Chrome trace event JSON for ui.perfetto.dev and chrome://tracing).'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_positional "bindrace" -eq 1' -fa 'synth' -d 'Generate a large, realistic binary trace with planted races (seeded, reproducible).'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_positional "bindrace" -eq 1' -fa 'capture' -d 'Record driver-core, module, process and uevent events with eBPF into a trace.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_positional "bindrace" -eq 1' -fa 'match' -d 'List the modules that can claim each device, in kmod\'s order, with blacklists, softdeps, dynamic IDs and the vfio variant pick.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_positional "bindrace" -eq 1' -fa 'check' -d 'Check traces against an expectation file (winners, determinism, policies).'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_positional "bindrace" -eq 1' -fa 'baseline' -d 'Record today\'s outcomes of traces as an expectation file (snapshot testing).'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_positional "bindrace" -eq 1' -fa 'diff' -d 'Show devices whose winner, feasible winners or verdict changed between two trace sets.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_positional "bindrace" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace inspect" format' -l 'format' -d 'Output: text or json.' -rfka 'text json'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace inspect" input-format' -l 'input-format' -d 'Read the trace as binary or jsonl instead of guessing from its name.' -rfka 'binary jsonl'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace inspect" version' -l 'version' -d 'Show the version.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace inspect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace convert" to' -l 'to' -d 'Output form (binary or jsonl); default: from OUTPUT\'s extension.' -rfka 'binary jsonl'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace convert" from' -l 'from' -d 'Input form (binary or jsonl); default: from INPUT\'s extension or content.' -rfka 'binary jsonl'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace convert" version' -l 'version' -d 'Show the version.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace convert" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace report" format' -l 'format' -d 'Output: text, json, or html (one self-contained page with a timeline).' -rfka 'text json html'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace report" o output' -s 'o' -l 'output' -d 'Write the report to this file instead of standard output.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace report" input-format' -l 'input-format' -d 'Read the traces as binary or jsonl instead of guessing from their names.' -rfka 'binary jsonl'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace report" all' -l 'all' -d 'Also list devices whose outcome is deterministic and not vfio.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace report" q quiet' -s 'q' -l 'quiet' -d 'No progress bar on stderr (it is shown only on a terminal anyway).'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace report" jobs' -l 'jobs' -d 'Traces analysed at once (default: the number of cores).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace report" version' -l 'version' -d 'Show the version.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace report" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace export" format' -l 'format' -d 'Output format: chrome-trace.' -rfka 'chrome-trace'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace export" o output' -s 'o' -l 'output' -d 'The file to write (\'-\' for standard output).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace export" input-format' -l 'input-format' -d 'Read the trace as binary or jsonl instead of guessing from its name.' -rfka 'binary jsonl'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace export" version' -l 'version' -d 'Show the version.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" o output' -l 'output' -s 'o' -d 'Output trace (.brt).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" events' -l 'events' -d 'Stop after at least this many events (1e3 to 1e9).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" seed' -l 'seed' -d 'Random seed; the same seed and options give the same bytes.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" nics' -l 'nics' -d 'SR-IOV NICs.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" vfs' -l 'vfs' -d 'VFs created per NIC per round.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" gpus' -l 'gpus' -d 'Passthrough GPUs (each with an audio function).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" workers' -l 'workers' -d 'Parallel udev workers.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" race-every' -l 'race-every' -d 'Plant a vfio-vs-native race every N rounds (0: never).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" processes' -l 'processes' -d 'Short-lived processes per round (drives the number of distinct tasks).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" task-pool' -l 'task-pool' -d 'Run helpers and scripts in this many long-lived tasks instead of new processes (0: new processes).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" truth' -l 'truth' -d 'Write the planted outcomes as JSON to this file.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" version' -l 'version' -d 'Show the version.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace synth" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture" o output' -s 'o' -l 'output' -d 'The trace file to create.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture" duration' -l 'duration' -d 'Stop after this many seconds.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture" until-settled' -l 'until-settled' -d 'Stop once udev has settled and binding activity has stopped.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture" settle-time' -l 'settle-time' -d 'Quiet seconds that count as settled.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture" force' -l 'force' -d 'Replace an existing output file (never through a symlink).'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture" pid-file' -l 'pid-file' -d 'Write the capture\'s process id here (for boot-time handover).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture" boot' -l 'boot' -d 'Boot-time capture: mark the process (argv[0] starting with \'@\') so systemd\'s switch-root in an initrd leaves it running.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture"' -l 'skip-probe' -d 'Leave out a probe by name (repeatable).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture" no-fentry' -l 'no-fentry' -d 'Do not use fentry/fexit: use the kprobe fallbacks.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture" verbose' -l 'verbose' -d 'Print every probe\'s status and libbpf\'s messages.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture" version' -l 'version' -d 'Show the version.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace capture" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match" kmod-dir' -l 'kmod-dir' -d 'Module directory holding modules.alias and friends.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match" root' -l 'root' -d 'Read an extracted system tree instead of /.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match" trace' -l 'trace' -d 'Use the snapshot a capture stored in this trace (its tables, modprobe.d, command line and devices).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match" kernel-release' -l 'kernel-release' -d 'Kernel release under lib/modules (default: uname -r, or the only one under --root).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match"' -l 'modalias' -d 'A modalias to resolve (repeatable).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match" modalias-file' -l 'modalias-file' -d 'A file with one modalias per line (\'-\' for standard input).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match"' -l 'config' -d 'modprobe.d directory or file instead of the default search path, like modprobe -C (repeatable).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match"' -l 'module-file' -d 'A .ko, .ko.xz or .ko.zst module file to resolve as if installed and indexed by depmod (repeatable).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match" cmdline-file' -l 'cmdline-file' -d 'Kernel command line to apply (default: /proc/cmdline of the system read; none with --kmod-dir).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match" format' -l 'format' -d 'Output: table, tsv or json.' -rfka 'table tsv json'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match" keep-duplicates' -l 'keep-duplicates' -d 'tsv: print a module once per matching alias line, as modprobe -R does.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match" version' -l 'version' -d 'Show the version.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace match" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace check" expect' -l 'expect' -d 'The expectation file (YAML).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace check" format' -l 'format' -d 'Output: text or json.' -rfka 'text json'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace check" junit' -l 'junit' -d 'Also write JUnit XML here.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace check" input-format' -l 'input-format' -d 'Read the traces as binary or jsonl instead of guessing from their names.' -rfka 'binary jsonl'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace check" modprobe-d' -l 'modprobe-d' -d 'Use this folder\'s *.conf files instead of the recorded modprobe.d.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace check" cmdline' -l 'cmdline' -d 'Use this kernel command line instead of the recorded one.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace check"' -l 'override' -d 'Write driver_override right after the device is added (repeatable).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace check" version' -l 'version' -d 'Show the version.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace baseline" o output' -l 'output' -s 'o' -d 'The expectation file to write.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace baseline" update' -l 'update' -d 'Refresh the generated section of an existing file instead of replacing the file.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace baseline" input-format' -l 'input-format' -d 'Read the traces as binary or jsonl instead of guessing from their names.' -rfka 'binary jsonl'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace baseline" version' -l 'version' -d 'Show the version.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace baseline" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace diff" format' -l 'format' -d 'Output: text or json.' -rfka 'text json'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace diff" input-format' -l 'input-format' -d 'Read the traces as binary or jsonl instead of guessing from their names.' -rfka 'binary jsonl'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace diff" modprobe-d' -l 'modprobe-d' -d 'Use this folder\'s *.conf files instead of the recorded modprobe.d.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace diff" cmdline' -l 'cmdline' -d 'Use this kernel command line instead of the recorded one.' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace diff"' -l 'override' -d 'Write driver_override right after the device is added (repeatable).' -rfka ''
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace diff" version' -l 'version' -d 'Show the version.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace diff" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bindrace' -n '__bindrace_should_offer_completions_for_flags_or_options "bindrace help" version' -l 'version' -d 'Show the version.'
