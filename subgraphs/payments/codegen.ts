import { subgraphCodegenConfig } from '@microshop/codegen';

export default subgraphCodegenConfig({
  contextType: '../context.ts#PaymentsContext',
  mappers: {
    Payment: '../payment.repository.ts#PaymentRecord',
    Refund: '../payment.repository.ts#RefundRecord',
    Order: '../context.ts#EntityReference',
  },
});
