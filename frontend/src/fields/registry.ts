// The field-type registry: for each server field type, its edit widget, its
// display, the filter operators it offers and how lists treat it. Adding a
// type on the server means adding one entry here (and its widget).
import type { Component } from 'vue'
import type { FieldType } from '@/api/types'
import type { Operator } from '@/filter/model'
import TextInput from './inputs/TextInput.vue'
import LongTextInput from './inputs/LongTextInput.vue'
import IntegerInput from './inputs/IntegerInput.vue'
import DecimalInput from './inputs/DecimalInput.vue'
import CurrencyInput from './inputs/CurrencyInput.vue'
import BooleanInput from './inputs/BooleanInput.vue'
import DateInput from './inputs/DateInput.vue'
import DateTimeInput from './inputs/DateTimeInput.vue'
import PicklistInput from './inputs/PicklistInput.vue'
import MultiPicklistInput from './inputs/MultiPicklistInput.vue'
import LookupInput from './inputs/LookupInput.vue'
import AutoNumberInput from './inputs/AutoNumberInput.vue'
import PlainValue from './display/PlainValue.vue'
import LinkValue from './display/LinkValue.vue'
import BooleanValue from './display/BooleanValue.vue'
import PicklistValue from './display/PicklistValue.vue'
import LookupValue from './display/LookupValue.vue'

/** The kind of value a filter condition on this type takes. */
export type FilterValueKind = 'text' | 'number' | 'date' | 'datetime' | 'options' | 'lookup' | 'none'

export interface FieldTypeSpec {
  input: Component
  display: Component
  operators: Operator[]
  filterValue: FilterValueKind
  align: 'left' | 'right'
  /** The server can sort by it. */
  sortable: boolean
  /** It can be set on many records at once. */
  bulkEditable: boolean
  /** It can be edited at all (auto numbers cannot). */
  editable: boolean
  /** A good default column width in pixels. */
  width: number
}

const TEXT_OPS: Operator[] = ['contains', 'not_contains', 'eq', 'ne', 'starts_with', 'ends_with', 'is_empty', 'is_not_empty']
const NUMBER_OPS: Operator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'is_empty', 'is_not_empty']
const DATE_OPS: Operator[] = ['eq', 'lt', 'le', 'gt', 'ge', 'is_empty', 'is_not_empty']
const DATETIME_OPS: Operator[] = ['lt', 'le', 'gt', 'ge', 'is_empty', 'is_not_empty']

function text(input: Component, display: Component, width = 180): FieldTypeSpec {
  return { input, display, operators: TEXT_OPS, filterValue: 'text', align: 'left', sortable: true, bulkEditable: true, editable: true, width }
}

function numeric(input: Component, width = 140): FieldTypeSpec {
  return {
    input,
    display: PlainValue,
    operators: NUMBER_OPS,
    filterValue: 'number',
    align: 'right',
    sortable: true,
    bulkEditable: true,
    editable: true,
    width,
  }
}

export const FIELD_TYPES: Record<FieldType, FieldTypeSpec> = {
  text: text(TextInput, PlainValue, 200),
  long_text: {
    ...text(LongTextInput, PlainValue, 260),
    operators: ['contains', 'not_contains', 'is_empty', 'is_not_empty'],
    sortable: false,
  },
  email: text(TextInput, LinkValue, 200),
  phone: text(TextInput, LinkValue, 150),
  url: text(TextInput, LinkValue, 200),
  auto_number: {
    ...text(AutoNumberInput, PlainValue, 130),
    operators: ['eq', 'ne', 'contains', 'starts_with'],
    bulkEditable: false,
    editable: false,
  },
  integer: numeric(IntegerInput, 110),
  number: numeric(DecimalInput),
  percent: numeric(DecimalInput, 110),
  currency: numeric(CurrencyInput, 170),
  boolean: {
    input: BooleanInput,
    display: BooleanValue,
    operators: ['is_true', 'is_false'],
    filterValue: 'none',
    align: 'left',
    sortable: true,
    bulkEditable: true,
    editable: true,
    width: 100,
  },
  date: {
    input: DateInput,
    display: PlainValue,
    operators: DATE_OPS,
    filterValue: 'date',
    align: 'left',
    sortable: true,
    bulkEditable: true,
    editable: true,
    width: 130,
  },
  datetime: {
    input: DateTimeInput,
    display: PlainValue,
    operators: DATETIME_OPS,
    filterValue: 'datetime',
    align: 'left',
    sortable: true,
    bulkEditable: true,
    editable: true,
    width: 170,
  },
  picklist: {
    input: PicklistInput,
    display: PicklistValue,
    operators: ['in', 'not_in', 'eq', 'ne', 'is_empty', 'is_not_empty'],
    filterValue: 'options',
    align: 'left',
    sortable: true,
    bulkEditable: true,
    editable: true,
    width: 140,
  },
  multi_picklist: {
    input: MultiPicklistInput,
    display: PicklistValue,
    operators: ['contains', 'is_empty', 'is_not_empty'],
    filterValue: 'options',
    align: 'left',
    sortable: false,
    bulkEditable: true,
    editable: true,
    width: 200,
  },
  lookup: {
    input: LookupInput,
    display: LookupValue,
    operators: ['eq', 'ne', 'is_empty', 'is_not_empty'],
    filterValue: 'lookup',
    align: 'left',
    sortable: true,
    bulkEditable: true,
    editable: true,
    width: 200,
  },
}

export function fieldSpec(type: FieldType | string): FieldTypeSpec {
  return FIELD_TYPES[type as FieldType] ?? FIELD_TYPES.text
}
