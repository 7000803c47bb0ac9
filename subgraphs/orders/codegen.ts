import { subgraphCodegenConfig } from '@microshop/codegen';

export default subgraphCodegenConfig({
  contextType: '../context.ts#OrdersContext',
  mappers: {
    Order: '../order.repository.ts#OrderRecord',
    OrderItem: '../order.repository.ts#OrderItemRecord',
    OrderStatusChange: '../order.repository.ts#OrderStatusChangeRecord',
    OrderAddress: '../order.repository.ts#OrderAddressRecord',
    CheckoutPreview: '../checkout.service.ts#Quote',
    DiscountCode: '../discount.repository.ts#DiscountCodeRecord',
    OrderTimelineEntry: '../after-order.repository.ts#TimelineEntry',
    ReturnRequest: '../after-order.repository.ts#ReturnRequestRecord',
    ReturnLine: '../after-order.repository.ts#ReturnLineView',
    User: '../context.ts#EntityReference',
    Product: '../context.ts#EntityReference',
  },
});
