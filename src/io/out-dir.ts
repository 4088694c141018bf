/**
 * Output folders: checked before anything is written, so a bad `--out` gives one clear message
 * (no EEXIST/ENOTDIR/EACCES stack trace) and pseudo-filesystems (/proc, /sys, /dev, where Node's
 * recursive mkdir can loop forever) are refused outright.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '../errors';

const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

function underPseudoFs(file: string): string | undefined {
  return PSEUDO_ROOTS.find((root) => file === root || file.startsWith(`${root}/`));
}

/** The deepest existing path at or above `dir`. */
function existingAncestor(dir: string): string {
  let current = dir;
  while (!fs.existsSync(current)) {
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}

/** What an fs error means for `file`, in words; other errors keep their message. */
export function describeFsError(error: unknown, file: string, action = 'write'): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EISDIR':
      return `Cannot ${action} ${file}: it is a folder; expected a file (remove or rename that folder).`;
    case 'ENOTDIR':
      return `Cannot ${action} ${file}: a part of that path is a file, not a folder.`;
    case 'EEXIST':
      return `Cannot ${action} ${file}: something that is not a folder already exists there.`;
    case 'EACCES':
    case 'EPERM':
      return `Cannot ${action} ${file}: permission denied.`;
    case 'EROFS':
      return `Cannot ${action} ${file}: the filesystem is read-only.`;
    case 'ENOSPC':
      return `Cannot ${action} ${file}: no space left on the device.`;
    default:
      return `Cannot ${action} ${file}: ${(error as Error | undefined)?.message ?? String(error)}`;
  }
}

/**
 * Makes sure `dir` is (or can become) a writable folder, and creates it. `what` names it in
 * messages (default "output folder"). Throws a DataError saying what is wrong.
 */
export function prepareOutDir(dir: string, what = 'output folder'): string {
  const resolved = path.resolve(dir);
  const ancestor = existingAncestor(resolved);
  let real = ancestor;
  try {
    real = fs.realpathSync(ancestor);
  } catch {
    // keep the lexical path
  }
  const pseudo = underPseudoFs(resolved) ?? underPseudoFs(path.join(real, path.relative(ancestor, resolved)));
  if (pseudo !== undefined) {
    throw new DataError(`Invalid ${what} ${dir}: it lies under ${pseudo}, a system pseudo-filesystem, not a place for files; choose a folder elsewhere.`);
  }
  if (ancestor === resolved) {
    if (!fs.statSync(resolved).isDirectory()) throw new DataError(`Invalid ${what} ${dir}: it is a file; expected a folder (or a path that does not exist yet).`);
  } else if (!fs.statSync(ancestor).isDirectory()) {
    throw new DataError(`Invalid ${what} ${dir}: ${ancestor} is a file, so no folder can be created under it.`);
  }
  try {
    fs.mkdirSync(resolved, { recursive: true });
    fs.accessSync(resolved, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    throw new DataError(describeFsError(error, dir, `use the ${what}`), { cause: error });
  }
  return resolved;
}
