// Reads one case per line (JSON) on stdin and answers one result per line, computed by the real
// quill-delta package: the reference the Java Delta implementation is tested against.
import Delta from 'quill-delta';
import { createInterface } from 'node:readline';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
for await (const line of lines) {
  if (!line.trim()) continue;
  const c = JSON.parse(line);
  const a = new Delta(c.a);
  let result;
  switch (c.op) {
    case 'compose': result = a.compose(new Delta(c.b)).ops; break;
    case 'transform': result = a.transform(new Delta(c.b), c.priority).ops; break;
    case 'transformPosition': result = a.transformPosition(c.index, c.priority); break;
    case 'invert': result = a.invert(new Delta(c.b)).ops; break;
    default: throw new Error('unknown op ' + c.op);
  }
  out.push(JSON.stringify(result));
}
process.stdout.write(out.join('\n') + '\n');
