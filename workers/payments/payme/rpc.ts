import { PaymeError } from './errors';
import { authorised, type PaymeCall, parseCall, type RpcId, rpcIdOf } from './protocol';

export type RpcAnswer =
  | { jsonrpc: '2.0'; id: RpcId; result: unknown }
  | { jsonrpc: '2.0'; id: RpcId; error: { code: number; message: { uz: string; ru: string; en: string }; data?: unknown } };

function errorAnswer(id: RpcId, err: PaymeError): RpcAnswer {
  return { jsonrpc: '2.0', id, error: { code: err.code, message: err.localized, ...(err.data === undefined ? {} : { data: err.data }) } };
}

function idOf(raw: string): RpcId {
  try {
    return rpcIdOf(JSON.parse(raw));
  } catch {
    return null;
  }
}

/**
 * One Payme request to its JSON-RPC answer (always sent with HTTP 200): the
 * credentials first (-32504, nothing else is read), then the call (-32700,
 * -32600, -32601), then the method. Anything unexpected is -32400 (system
 * error), which makes Payme retry later.
 */
export async function answerPayme(
  raw: string,
  authorization: string | undefined,
  key: string | undefined,
  run: (call: PaymeCall) => Promise<unknown>,
  onUnexpected: (err: unknown) => void,
): Promise<RpcAnswer> {
  if (!authorised(authorization, key)) return errorAnswer(idOf(raw), new PaymeError('insufficientPrivilege'));
  let call: PaymeCall;
  try {
    call = parseCall(raw);
  } catch (err) {
    return errorAnswer(idOf(raw), err instanceof PaymeError ? err : new PaymeError('invalidRequest'));
  }
  try {
    return { jsonrpc: '2.0', id: call.id, result: await run(call) };
  } catch (err) {
    if (err instanceof PaymeError) return errorAnswer(call.id, err);
    onUnexpected(err);
    return errorAnswer(call.id, new PaymeError('system'));
  }
}
