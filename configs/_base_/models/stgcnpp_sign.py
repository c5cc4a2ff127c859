# MMAction2's ST-GCN++ on the 49-joint sign layout (body chain + both hands'
# 21-joint trees attached at the wrists; mmaction_masa.sign_layout).
# SignSTGCN is MMAction2's STGCN with the layout name 'sign49'.
model = dict(
    type='RecognizerGCN',
    data_preprocessor=dict(type='ActionDataPreprocessor'),
    backbone=dict(
        type='SignSTGCN',
        in_channels=3,
        gcn_adaptive='init',
        gcn_with_res=True,
        tcn_type='mstcn',
        graph_cfg=dict(layout='sign49', mode='spatial')),
    cls_head=dict(type='GCNHead', num_classes=2000, in_channels=256))
