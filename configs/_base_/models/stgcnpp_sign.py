# MMAction2's ST-GCN++ on the 49-joint sign layout (body chain + both hands'
# 21-joint trees attached at the wrists; mmaction_masa.sign_layout).
from mmaction_masa.sign_layout import SIGN_GRAPH_LAYOUT

model = dict(
    type='RecognizerGCN',
    data_preprocessor=dict(type='ActionDataPreprocessor'),
    backbone=dict(
        type='STGCN',
        in_channels=3,
        gcn_adaptive='init',
        gcn_with_res=True,
        tcn_type='mstcn',
        graph_cfg=dict(layout=SIGN_GRAPH_LAYOUT, mode='spatial')),
    cls_head=dict(type='GCNHead', num_classes=2000, in_channels=256))
