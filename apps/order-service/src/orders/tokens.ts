export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');
export const ORDER_VIEWS = Symbol('ORDER_VIEWS');
