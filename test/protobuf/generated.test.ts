import * as protobuf from 'protobufjs';
import { ENUM, FIELD } from '../../src/protobuf/generated/field-numbers';
import { protoRoot } from '../../src/protobuf/schema';
import { DTYPE_NAMES } from '../../src/events/types';

/**
 * The constants generated from proto/*.proto (scripts/generate-wire-constants.js)
 * are what the generator writes today, and agree with the schema featherboard
 * decodes with.
 */
const { staleFiles } = require('../../scripts/generate-wire-constants') as { staleFiles(): string[] };

it('are up to date (run node scripts/generate-wire-constants.js after editing their sources)', () => {
  expect(staleFiles()).toEqual([]);
});

/** Every message and enum of the compiled schema, named as the generator names them. */
function schemaItems(): { messages: Map<string, protobuf.Type>; enums: Map<string, protobuf.Enum> } {
  const messages = new Map<string, protobuf.Type>();
  const enums = new Map<string, protobuf.Enum>();
  const walk = (ns: protobuf.NamespaceBase, prefix: string): void => {
    for (const item of ns.nestedArray) {
      const name = prefix === '' ? item.name : `${prefix}_${item.name}`;
      if (item instanceof protobuf.Type) messages.set(name, item);
      if (item instanceof protobuf.Enum) enums.set(name, item);
      if (item instanceof protobuf.Namespace || item instanceof protobuf.Type) walk(item, name);
    }
  };
  walk(protoRoot().lookup('tensorboard') as protobuf.Namespace, '');
  return { messages, enums };
}

const snake = (camel: string): string => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

it('name every field and enum value of the schema featherboard decodes with', () => {
  const { messages, enums } = schemaItems();
  expect(Object.keys(FIELD).sort()).toEqual([...messages.keys()].sort());
  for (const [name, type] of messages) {
    const fields = Object.fromEntries(type.fieldsArray.map((f) => [snake(f.name), f.id]));
    expect([name, FIELD[name as keyof typeof FIELD]]).toEqual([name, fields]);
  }
  expect(Object.keys(ENUM).sort()).toEqual([...enums.keys()].sort());
  for (const [name, e] of enums) expect([name, ENUM[name as keyof typeof ENUM]]).toEqual([name, e.values]);
});

it('give the DataType names the graph views print', () => {
  for (const [number, name] of Object.entries(DTYPE_NAMES))
    expect(ENUM.DataType[name as keyof typeof ENUM.DataType]).toBe(Number(number));
});
