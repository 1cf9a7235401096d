/**
 * Runs an Argo CD health script the way Argo CD does (argo-cd util/lua/lua.go): the live object as
 * the global `obj`, a Lua table built from its JSON; the script's returned table read as
 * { status, message }. With `openLibs` (argocd-cm resource.customizations.useOpenLibs) every
 * standard library is loaded, else base, table and os only. Argo CD runs gopher-lua (Lua 5.1);
 * this is fengari (Lua 5.3), the same language for what health scripts use (tables, ipairs,
 * string.match, os.time, os.date).
 */
import { createRequire } from 'node:module';

interface Fengari {
  lua: Record<string, (...args: any[]) => any> & { LUA_OK: number };
  lauxlib: Record<string, (...args: any[]) => any>;
  lualib: Record<string, (...args: any[]) => any>;
  to_luastring: (s: string) => Uint8Array;
  to_jsstring: (s: Uint8Array) => string;
}
const { lua, lauxlib, lualib, to_luastring } = createRequire(import.meta.url)('fengari') as Fengari;

export interface Health {
  status: string;
  message: string;
}

function push(L: unknown, value: unknown): void {
  if (value === null || value === undefined) lua.lua_pushnil!(L);
  else if (typeof value === 'boolean') lua.lua_pushboolean!(L, value);
  else if (typeof value === 'number') lua.lua_pushnumber!(L, value);
  else if (typeof value === 'string') lua.lua_pushstring!(L, to_luastring(value));
  else if (Array.isArray(value)) {
    lua.lua_createtable!(L, value.length, 0);
    value.forEach((item, i) => {
      push(L, item);
      lua.lua_rawseti!(L, -2, i + 1);
    });
  } else {
    lua.lua_createtable!(L, 0, 0);
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      push(L, item);
      lua.lua_setfield!(L, -2, to_luastring(key));
    }
  }
}

export function runHealthScript(script: string, obj: unknown, openLibs: boolean): Health {
  const L = lauxlib.luaL_newstate!();
  if (openLibs) lualib.luaL_openlibs!(L);
  else
    for (const [name, open] of [
      ['_G', lualib.luaopen_base],
      ['table', lualib.luaopen_table],
      ['os', lualib.luaopen_os],
    ] as const) {
      lauxlib.luaL_requiref!(L, to_luastring(name), open, 1);
      lua.lua_pop!(L, 1);
    }
  push(L, obj);
  lua.lua_setglobal!(L, to_luastring('obj'));
  if (lauxlib.luaL_loadstring!(L, to_luastring(script)) !== lua.LUA_OK || lua.lua_pcall!(L, 0, 1, 0) !== lua.LUA_OK)
    throw new Error(`Lua error: ${lua.lua_tojsstring!(L, -1)}`);
  const field = (name: string) => {
    lua.lua_getfield!(L, -1, to_luastring(name));
    const value = lua.lua_isnil!(L, -1) ? '' : (lua.lua_tojsstring!(L, -1) as string);
    lua.lua_pop!(L, 1);
    return value;
  };
  return { status: field('status'), message: field('message') };
}
