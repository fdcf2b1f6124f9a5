// `argus completion bash|zsh`: a completion script made from the same table as --help (src/cli/help.ts).
import { COMMAND_HELP, COMMON_FLAGS } from '../help.js';
import { EXIT, type Command } from '../command.js';

const flagsOf = (name: string): string[] =>
  [...(COMMAND_HELP[name]?.flags ?? []), ...COMMON_FLAGS].map((f) => `--${f.name}`);

function bash(): string {
  const names = Object.keys(COMMAND_HELP);
  const cases = names.map((n) => `    ${n}) opts="${flagsOf(n).join(' ')}" ;;`).join('\n');
  return `# bash completion for argus: source <(argus completion bash)
_argus() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names.join(' ')}" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "$opts" -- "$cur") ); else COMPREPLY=( $(compgen -f -- "$cur") ); fi
}
complete -F _argus argus
`;
}

/** zsh quotes: a description may hold neither ' nor ] unescaped. */
const zq = (text: string): string => text.replace(/'/g, "'\\''").replace(/[[\]]/g, '\\$&').replace(/:/g, '\\:');

function zsh(): string {
  const names = Object.keys(COMMAND_HELP);
  const commands = names.map((n) => `    '${n}:${zq(COMMAND_HELP[n]!.summary)}'`).join('\n');
  const cases = names
    .map((n) => {
      const flags = [...(COMMAND_HELP[n]?.flags ?? []), ...COMMON_FLAGS].map(
        (f) => `'--${f.name}[${zq(f.text)}]${f.value ? ':value:' : ''}'`,
      );
      return `      ${n}) _arguments ${flags.join(' ')} '*:file:_files' ;;`;
    })
    .join('\n');
  return `#compdef argus
# zsh completion for argus: argus completion zsh > "\${fpath[1]}/_argus"
_argus() {
  local -a commands
  commands=(
${commands}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case "$words[2]" in
${cases}
  esac
}
_argus "$@"
`;
}

const completion: Command = async (argv, io) => {
  const shell = argv[0];
  if (shell === 'bash') io.stdout(bash());
  else if (shell === 'zsh') io.stdout(zsh());
  else {
    io.stderr(`argus: completion needs a shell: bash or zsh, not ${JSON.stringify(shell ?? '')}\n`);
    return EXIT.USAGE;
  }
  return EXIT.OK;
};
export default completion;
