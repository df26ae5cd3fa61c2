/**
 * The member names of a struct of fields, once encoded.
 */
import { Schema, SchemaAST } from "effect"

/** The member names a struct of fields has once encoded (`Schema.fromKey` renames them). */
export const encodedKeys = (fields: Schema.Struct.Fields): ReadonlyArray<string> => {
  const ast = SchemaAST.encodedAST(Schema.Struct(fields).ast)
  return SchemaAST.isTypeLiteral(ast) ? ast.propertySignatures.map((signature) => String(signature.name)) : []
}
